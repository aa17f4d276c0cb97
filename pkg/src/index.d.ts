// Types for the mostrador package: the ESM entry (index.js) and the drop-in script's global
// (window.Mostrador), which share one API.

/** Which face of the help desk to show. */
export type Mode = "portal" | "console";

/** Theme values; each becomes a CSS custom property on the widget's host element. */
export interface Theme {
  /** Buttons, links, focus rings (`--mo-accent`). */
  accent?: string;
  /** Text on accent backgrounds (`--mo-accent-text`). */
  accentText?: string;
  /** Body text (`--mo-text`). */
  text?: string;
  /** Secondary text (`--mo-muted`). */
  muted?: string;
  /** Background (`--mo-bg`). */
  bg?: string;
  /** Borders (`--mo-border`). */
  border?: string;
  /** Error messages (`--mo-error`). */
  error?: string;
  /** Corner radius, e.g. `"4px"` (`--mo-radius`). */
  radius?: string;
  /** Font family list (`--mo-font`). */
  font?: string;
  /** Base size the app's `rem` means inside the widget, e.g. `"18px"` (`--mo-rem`; default 16px). */
  scale?: string;
}

/** A visitor identity vouched for by your backend. */
export interface Identity {
  /** Your stable id for this person: 1–256 bytes (UTF-8) after trimming. */
  id: string;
  /**
   * Hex or base64 signature your server computed over `id` (e.g. HMAC-SHA256), or the sync
   * server's customer token (`mc1.…`, or `mc2.…` carrying the customer's plan, orders and CRM
   * link for agents); 32–4096 chars.
   */
  signature: string;
  /** An e-mail address, at most 256 bytes. */
  email?: string;
  /** At most 256 characters. */
  name?: string;
  /** When your server signed it, `Date.now()` style. */
  issuedAt?: number;
}

/** Ticket fields to show filled in. */
export interface Prefill {
  /** At most 200 characters. */
  subject?: string;
  /** At most 10,000 characters. */
  message?: string;
  /** At most 256 characters. */
  name?: string;
  /** At most 256 characters. */
  email?: string;
  /** At most 256 characters. */
  category?: string;
  priority?: "low" | "normal" | "high" | "urgent";
  /**
   * Custom fields by name (1–64 letters, digits, `_`, `-`, `.`), values as text of at most 1,024
   * characters; at most 32 fields, counting those of earlier calls.
   */
  fields?: Record<string, string>;
}

/** Options for {@link mount} and {@link createLauncher}. Unknown keys are errors. */
export interface Options {
  /** Customer portal (default) or agent console. */
  mode?: Mode;
  /** IndexedDB database name; one per installation. Default `"mostrador"`. */
  dbName?: string;
  /**
   * Base URL of a Mostrador sync server (`https://help.example.com`). Without it everything stays
   * on the visitor's device. With it, customers sync with the token from `identify` (its
   * `signature` is the `mc1.…` or `mc2.…` token your backend made) or with an anonymous session the server
   * hands out; agents sign in to the console with their password.
   */
  syncUrl?: string;
  /**
   * BCP 47 language tag of a language the help desk speaks (`es`, `en`, `pt`, with any region:
   * `"pt-BR"`). Defaults to the page's `<html lang>`.
   */
  locale?: string;
  /** Launcher corner. Default `"bottom-right"`. */
  position?: "bottom-right" | "bottom-left";
  /** Launcher button text (1–40 characters). Default "Help", in the locale's language. */
  launcherText?: string;
  /** Show the launcher button (default true); false leaves opening to `open()`. */
  launcher?: boolean;
  /** Colors, radius, font and scale. */
  theme?: Theme;
  /** Light or dark: follow the visitor's system (`"auto"`, default) or force one. */
  colorScheme?: "auto" | "light" | "dark";
  /** Use the iframe fallback: when WebAssembly is blocked (`"auto"`, default), `"always"` or `"never"`. */
  frame?: "auto" | "always" | "never";
  /** The frame page; default `frame.html` beside the loader. Must be on the component's origin. */
  frameUrl?: string;
  /** Stacking order of the launcher and panel. Default 2147483000. */
  zIndex?: number;
  /** Same as calling `identify(user)` right away. */
  identity?: Identity;
  /** Same as calling `prefill(fields)` right away. */
  prefill?: Prefill;
}

/** What each event passes to its callback. */
export interface EventDetails {
  /** The app is mounted and interactive. Listeners added later are called too. */
  ready: undefined;
  /** The launcher's panel opened. */
  open: undefined;
  /** The launcher's panel closed. */
  close: undefined;
  /** A host mistake or a load failure; also written to the console. */
  error: { message: string };
  /** The visitor opened a ticket. */
  ticketCreated: { ticket: string };
  /** A ticket got a reply, a note or new fields. */
  ticketUpdated: { ticket: string };
  /** A ticket moved from one status to another. */
  statusChanged: { ticket: string; from: string; to: string };
  /** The sync connection changed state. */
  syncState: { state: "local" | "synced" | "syncing" | "offline" | "error" };
  /** A returning visitor's count of agents' answers they have not seen (the launcher's badge;
   * needs `syncUrl`). Raised when it changes, before the app loads; `0` once the panel opens. */
  unread: { count: number };
}

export type EventName = keyof EventDetails;

/** One launcher or inline app. Methods that change something return false (after reporting an
 * `error`) when their argument is wrong. */
export interface Widget {
  /** Settles when the app is mounted; rejects when it cannot start. */
  readonly ready: Promise<void>;
  /** Whether the launcher's panel is open. */
  readonly isOpen: boolean;
  /** Opens the panel, loading the app on first use. Launchers only. */
  open(): boolean;
  /** Closes the panel. Launchers only. */
  close(): boolean;
  toggle(): boolean;
  showLauncher(): boolean;
  hideLauncher(): boolean;
  /**
   * Records the visitor's signed identity, for synced mode. Like every host call, a bad argument
   * (see the limits on {@link Identity}) returns `false`, logs one console error naming the
   * argument and the limit, and changes nothing; the widget still opens.
   */
  identify(user: Identity): boolean;
  /** Adds ticket fields for the portal's form; later calls override earlier ones per field. */
  prefill(fields: Prefill): boolean;
  /** Changes the language at runtime; `false` for a language the help desk does not speak. */
  setLocale(locale: string): boolean;
  /** Subscribes; returns a function that unsubscribes. */
  on<E extends EventName>(event: E, callback: (detail: EventDetails[E]) => void): () => void;
  /** What the host has told the app: locale, identity and prefilled fields. */
  state(): { locale: string | null; identity: Identity | null; prefill: Prefill };
  /** Removes the app (and the launcher) from the page. */
  unmount(): void;
}

/** Mounts the app inside `element`, in a Shadow DOM, and starts loading it at once. */
export function mount(element: HTMLElement, options?: Options): Widget;

/** Adds a launcher button; the app loads when the visitor activates it or you call `open()`. */
export function createLauncher(options?: Options): Widget;

/**
 * Where the app's files are: `mostrador_wasm.js` + `mostrador_wasm_bg.wasm` (the customer
 * portal, with the `split_*.wasm` and `chunk_*.wasm` files it fetches when first needed),
 * `console/` (the agent console, loaded only for `mode: "console"`, cut the same way), and
 * `frame.html`.
 */
export function configure(config: { assetsUrl?: string | URL }): boolean;

/**
 * Fetches and compiles the app ahead of time (the portal unless `mode` is `"console"`); touches
 * no storage and mounts nothing.
 */
export function preload(mode?: Mode): Promise<void>;

/** @deprecated Same as {@link preload}. */
export function load(): Promise<void>;

export const version: string;

/** `window.Mostrador`: the same functions, plus the drop-in launcher's methods. */
export interface MostradorGlobal {
  readonly version: string;
  mount: typeof mount;
  launcher: typeof createLauncher;
  configure: typeof configure;
  preload: typeof preload;
  /** The drop-in script's launcher (or the first created by `launcher()`), if any. */
  readonly widget: Widget | null;
  open(): boolean;
  close(): boolean;
  toggle(): boolean;
  showLauncher(): boolean;
  hideLauncher(): boolean;
  identify(user: Identity): boolean;
  prefill(fields: Prefill): boolean;
  setLocale(locale: string): boolean;
  on<E extends EventName>(event: E, callback: (detail: EventDetails[E]) => void): () => void;
}

declare const Mostrador: MostradorGlobal;
export default Mostrador;

/** `<mostrador-desk mode="console" db-name="shop">`: an inline app; attributes are the options. */
export interface MostradorDeskElement extends HTMLElement {
  readonly widget: Widget | null;
}

declare global {
  interface Window {
    /** Before the script loads, an array of queued calls: `["identify", user]`. */
    Mostrador: MostradorGlobal;
  }
  interface HTMLElementTagNameMap {
    "mostrador-desk": MostradorDeskElement;
  }
}
