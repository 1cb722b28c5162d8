/** `npm run build:guest`: builds (or finds in .cache/guest/) the OS tasks' Linux guest and copies it to public/vm/. */
import { ensureGuest } from './guest/build.ts';

try {
  const m = await ensureGuest();
  console.log(`guest ${m.key}: state ${(m.sizes.state / 1e6).toFixed(1)} MB gzip (${(m.sizes.stateUncompressed / 1e6).toFixed(0)} MB raw), ${m.packages.length} packages, ${m.kernel}`);
} catch (e) {
  console.error(`build:guest: ${(e as Error).message}`);
  process.exit(1);
}
