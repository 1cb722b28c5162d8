/** `npm run fixtures`: converts the fixture checkpoints in tests/fixtures/ into public/models/ (skipped when up to date). */
import { ensureFixtureModels } from './convert/fixture-models.ts';

const started = Date.now();
try {
  const converted = await ensureFixtureModels(undefined, (l) => console.log(l));
  console.log(`fixtures: ${converted.length} converted in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`fixtures: ${(e as Error).message}`);
  process.exit(1);
}
