/** Options for {@link mount}. */
export interface MountOptions {
  /** Which face to show: the customer portal (default) or the agent console. */
  mode?: "portal" | "console";
  /** IndexedDB database name; one per installation. Default "mostrador". */
  dbName?: string;
  /** Where to fetch the WebAssembly file from; defaults to the file beside this module. */
  wasmUrl?: string | URL;
}

/** A mounted app. */
export interface MountHandle {
  /** Removes the app from the page. */
  unmount(): void;
}

/** Fetches and starts the WebAssembly module. Called by {@link mount}; call it early to preload. */
export function load(options?: { wasmUrl?: string | URL }): Promise<unknown>;

/** Mounts Mostrador inside `element`, in a Shadow DOM. */
export function mount(element: HTMLElement, options?: MountOptions): Promise<MountHandle>;
