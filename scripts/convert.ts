/** `npm run convert -- <checkpoint-dir> <out-dir> [--dtype q4f16,q4,fp32] [--chat-template agent-flan]` */
import { parseConvertArgs } from './convert/cli-args.ts';
import { convertCheckpoint } from './convert/convert.ts';

try {
  const opts = parseConvertArgs(process.argv.slice(2));
  const started = Date.now();
  console.log(`converting ${opts.checkpointDir} -> ${opts.outDir} (${opts.dtypes.join(', ')})`);
  const manifest = await convertCheckpoint({ ...opts, log: (l) => console.log(l) });
  for (const [dtype, entry] of Object.entries(manifest.dtypes)) {
    console.log(`  ${dtype}: ${(entry!.bytes / 1e6).toFixed(1)} MB download, ${entry!.files.length} files, largest tensor ${(entry!.maxTensorBytes / 1e6).toFixed(1)} MB`);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`convert: ${(e as Error).message}`);
  process.exit(1);
}
