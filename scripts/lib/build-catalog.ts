/** Builds the gallery index from the real env modules (shared by `npm run catalog` and its drift test). */
import { ENV_ORDER, type TaskCatalog } from '../../src/lib/tasks/catalog.ts';
import { loadEnvModule } from '../../src/lib/tasks/registry.ts';
import type { ToolSpec } from '../../src/lib/agent/protocols/types.ts';

export async function buildCatalog(): Promise<TaskCatalog> {
  const envs = [];
  const tools = new Map<string, ToolSpec>();
  for (const id of ENV_ORDER) {
    const module = await loadEnvModule(id);
    envs.push({ id, label: module.label, protocolId: module.protocolId, tasks: module.tasks.map((t) => ({ id: t.id, title: t.title, ...(t.note ? { note: t.note } : {}) })) });
    if (id === 'tools') {
      for (const task of module.tasks) {
        for (const spec of (task.data as { tools: ToolSpec[] }).tools) tools.set(spec.name, spec);
      }
    }
  }
  return { envs, tools: [...tools.values()] };
}
