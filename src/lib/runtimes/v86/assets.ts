/**
 * Where the guest comes from: `public/vm/` (made by `npm run build:guest`), fetched in the browser (the
 * service worker precaches it) and read from disk in Node (`assets-node.ts` registers that loader). Loaded
 * once per worker or process; every episode restores from the same buffers.
 */
import type { VmAssets } from './machine';

export interface VmManifest {
  key: string;
  memoryBytes: number;
  files: { state: string; bios: string; vgaBios: string };
}

type Loader = () => Promise<VmAssets>;

let loader: Loader | undefined;
let loaded: Promise<VmAssets> | undefined;
let browserUrls: { wasm: string; base: string } | undefined;

/** The worker entry tells where v86's wasm and the vm/ folder are served. */
export function setVmAssetUrls(urls: { wasm: string; base: string }): void {
  browserUrls = urls;
}

export function setVmAssetLoader(next: Loader): void {
  loader = next;
  loaded = undefined;
}

export const MISSING_GUEST =
  'The Linux guest for the OS tasks is not built: run `npm run build:guest` (as root, with apt\'s i386 architecture: see the README), then rebuild the app.';

export async function gunzip(data: ArrayBuffer): Promise<ArrayBuffer> {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

async function fetchAssets(): Promise<VmAssets> {
  if (!browserUrls) throw new Error('The sandbox has no URL for the Linux guest (setVmAssetUrls was not called).');
  const { wasm, base } = browserUrls;
  const get = async (name: string) => {
    const response = await fetch(new URL(name, base));
    if (!response.ok) throw new Error(`${MISSING_GUEST} (${name}: HTTP ${response.status})`);
    return response;
  };
  const manifest = (await (await get('manifest.json')).json()) as VmManifest;
  const [module, bios, vgaBios, state] = await Promise.all([
    WebAssembly.compileStreaming(fetch(wasm)),
    get(manifest.files.bios).then((r) => r.arrayBuffer()),
    get(manifest.files.vgaBios).then((r) => r.arrayBuffer()),
    get(manifest.files.state).then((r) => r.arrayBuffer()).then(gunzip),
  ]);
  return { wasm: module, bios, vgaBios, state, memoryBytes: manifest.memoryBytes };
}

export function loadVmAssets(): Promise<VmAssets> {
  loaded ??= (loader ?? fetchAssets)().catch((e) => {
    loaded = undefined;
    throw e;
  });
  return loaded;
}
