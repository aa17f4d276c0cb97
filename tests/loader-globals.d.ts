// For the loader's type check (tsconfig.loader.json) only: what the loader keeps on an element it
// mounted into. Not part of the package's public types (pkg/src/index.d.ts).
interface HTMLElement {
  mostradorWidget?: import("../pkg/src/index.js").Widget;
}
