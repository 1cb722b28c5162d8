/** `npm run catalog`: writes src/lib/tasks/catalog.json (the gallery's titles per environment) from the env modules. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildCatalog } from './lib/build-catalog.ts';

const target = resolve(import.meta.dirname, '../src/lib/tasks/catalog.json');
const catalog = await buildCatalog();
writeFileSync(target, `${JSON.stringify(catalog, null, 1)}\n`);
console.log(`catalog: ${catalog.envs.map((e) => `${e.id} ${e.tasks.length}`).join(', ')}; ${catalog.tools.length} tools -> ${target}`);
