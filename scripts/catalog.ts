/**
 * `npm run catalog`: writes src/lib/tasks/os/agentbench-dev.json (the AgentBench OS dev tasks, from the fixture)
 * and then src/lib/tasks/catalog.json (the gallery's titles per environment) from the env modules.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildCatalog } from './lib/build-catalog.ts';
import { buildDevTasks } from './lib/os-dev-tasks.ts';

const devTarget = resolve(import.meta.dirname, '../src/lib/tasks/os/agentbench-dev.json');
const dev = buildDevTasks();
writeFileSync(devTarget, `${JSON.stringify(dev, null, 1)}\n`);
console.log(`AgentBench OS dev: ${dev.tasks.length} tasks -> ${devTarget}`);

const target = resolve(import.meta.dirname, '../src/lib/tasks/catalog.json');
const catalog = await buildCatalog();
writeFileSync(target, `${JSON.stringify(catalog, null, 1)}\n`);
console.log(`catalog: ${catalog.envs.map((e) => `${e.id} ${e.tasks.length}`).join(', ')}; ${catalog.tools.length} tools -> ${target}`);
