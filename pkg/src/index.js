// ESM entry of the mostrador package. Loads the WebAssembly module once, on first use.
import init, { mount as mountWasm } from "./mostrador_wasm.js";

let ready;

/** Fetches and starts the WebAssembly module; later calls reuse the first. */
export function load(options = {}) {
  ready ??= init({ module_or_path: options.wasmUrl ?? new URL("./mostrador_wasm_bg.wasm", import.meta.url) });
  return ready;
}

/** Mounts Mostrador inside `element` (in a Shadow DOM) and returns a handle with `unmount()`. */
export async function mount(element, options = {}) {
  if (!(element instanceof HTMLElement)) {
    throw new TypeError("Mostrador.mount: the first argument must be an HTMLElement");
  }
  const { wasmUrl, ...appOptions } = options;
  await load({ wasmUrl });
  return mountWasm(element, appOptions);
}
