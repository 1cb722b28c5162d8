/**
 * The model store in headless Chromium: a fresh download into OPFS from a local server (the downloader
 * in a worker: network, SHA-256, sync-access-handle writes), the check of a stored model (no request),
 * a resume after a drop at half the file, and reading the file back through the transformers.js cache
 * adapter. Usage: npx tsx scripts/bench-model-store.ts [MiB]   (prints JSON)
 */
import type { EnsureResult } from '../src/lib/models/downloader';
import { manifestFor, pseudoRandomBytes, servedUnder } from '../tests/unit/support/model-fixture';
import { startStoreHarness } from '../tests/browser/support/store-harness';

const mib = Number(process.argv[2] ?? 512);
const MODEL = 'bench-model';
const BIG = 'onnx/model_q4.onnx_data';
const content = { 'config.json': pseudoRandomBytes(1000, 1), [BIG]: pseudoRandomBytes(mib * 1024 * 1024, 2) };
const manifest = manifestFor(MODEL, content, ['config.json'], { q4: [BIG] });
const harness = await startStoreHarness(servedUnder(MODEL, content));
const baseUrl = `${harness.origin}/models/${MODEL}`;
const timed = async <T>(run: () => Promise<T>) => {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
};
const mbps = (bytes: number, ms: number) => Math.round(bytes / 1e6 / (ms / 1000));

try {
  const fresh = await timed(() => harness.inWorker<EnsureResult>({ op: 'ensure', baseUrl, manifest }));
  const check = await timed(() => harness.inWorker<EnsureResult>({ op: 'ensure', baseUrl, manifest }));
  const read = await harness.inWorker<{ readMs: number }>({ op: 'serve', baseUrl, manifest, path: BIG });

  await harness.inWorker({ op: 'delete', id: MODEL });
  const half = Math.floor(content[BIG].length / 2);
  harness.models.hooks.set(`/models/${MODEL}/${BIG}`, { dropAfter: half, dropDelayMs: 500 });
  await harness.inWorker({ op: 'ensure', baseUrl, manifest, attempts: 1 }).catch(() => {});
  const resume = await timed(() => harness.inWorker<EnsureResult>({ op: 'ensure', baseUrl, manifest }));

  console.log(
    JSON.stringify(
      {
        mib,
        freshDownload: { ms: Math.round(fresh.ms), MBps: mbps(fresh.value.networkBytes, fresh.ms) },
        storedCheck: { ms: Math.round(check.ms), networkBytes: check.value.networkBytes },
        readThroughCacheAdapter: { ms: Math.round(read.readMs), MBps: mbps(content[BIG].length, read.readMs) },
        resumeSecondHalf: { ms: Math.round(resume.ms), networkBytes: resume.value.networkBytes },
      },
      null,
      2,
    ),
  );
} finally {
  await harness.close();
}
