/** The guest from disk for Node (tests, replay, benchmarks): `public/vm/` and v86's wasm in node_modules. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gunzip, MISSING_GUEST, setVmAssetLoader, type VmManifest } from './assets';
import type { VmAssets } from './machine';

const vmDir = fileURLToPath(new URL('../../../../public/vm/', import.meta.url));

export const arrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export function loadV86Wasm(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(readFileSync(createRequire(import.meta.url).resolve('v86/build/v86.wasm')));
}

/** Whether `npm run build:guest` has put the guest into public/vm/. */
export function vmGuestOnDisk(dir = vmDir): boolean {
  return existsSync(`${dir}/manifest.json`);
}

export async function loadVmAssetsFromDisk(dir = vmDir): Promise<VmAssets> {
  if (!vmGuestOnDisk(dir)) throw new Error(MISSING_GUEST);
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as VmManifest;
  return {
    wasm: await loadV86Wasm(),
    bios: arrayBuffer(readFileSync(`${dir}/${manifest.files.bios}`)),
    vgaBios: arrayBuffer(readFileSync(`${dir}/${manifest.files.vgaBios}`)),
    state: await gunzip(arrayBuffer(readFileSync(`${dir}/${manifest.files.state}`))),
    memoryBytes: manifest.memoryBytes,
  };
}

/** Makes `loadVmAssets()` read from disk in this process. */
export function useVmAssetsFromDisk(): void {
  setVmAssetLoader(() => loadVmAssetsFromDisk());
}
