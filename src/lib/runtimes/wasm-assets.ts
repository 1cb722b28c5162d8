/**
 * Where the sandbox's wasm binaries are fetched from.
 *
 * In Node (tests, CLIs) both packages find their `.wasm` next to their own JS file, so nothing needs
 * setting. In the Vite-built app the worker entry imports the binaries with `?url` (so Vite copies them
 * into the build with hashed names) and passes those URLs here before any environment loads.
 */
export interface WasmAssetUrls {
  /** URL of sql.js's `sql-wasm-browser.wasm`. */
  sqlite?: string;
  /** URL of `@jitl/quickjs-wasmfile-release-sync`'s `emscripten-module.wasm`. */
  quickjs?: string;
}

let urls: WasmAssetUrls = {};

export function setWasmAssetUrls(next: WasmAssetUrls): void {
  urls = { ...next };
}

export function wasmAssetUrls(): WasmAssetUrls {
  return urls;
}
