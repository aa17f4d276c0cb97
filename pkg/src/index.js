// @ts-check
// ESM entry of the mostrador package. The loader (mostrador.js) holds the whole host API and is
// shared with the drop-in script, so a page using both gets one API and one WebAssembly module.
import "./mostrador.js";

/** @type {import("./index.js").MostradorGlobal} */
const Mostrador = globalThis.Mostrador;
// Imported as a module, the loader cannot see its own URL; the app's files sit beside this one.
Mostrador.configure({ assetsUrl: new URL("./", import.meta.url).href });

/** Mounts the app inside `element` (in a Shadow DOM); returns a widget handle at once. */
export const mount = Mostrador.mount;
/** Adds a launcher button that opens the portal in a panel. */
export const createLauncher = Mostrador.launcher;
/** Sets where the app's files are fetched from. */
export const configure = Mostrador.configure;
/** Fetches and compiles the app ahead of time (no storage, no mount). */
export const preload = Mostrador.preload;
/** Kept for the first releases' callers: same as preload. */
export const load = Mostrador.preload;
export const version = Mostrador.version;
export default Mostrador;
