/** The gallery's title index must match the environment modules it is generated from. */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../scripts/lib/build-catalog';
import { ENV_ORDER, taskCatalog } from '../../src/lib/tasks/catalog';

describe('task catalog index', () => {
  it('matches the env modules (regenerate with `npm run catalog` when it does not)', async () => {
    expect(taskCatalog).toEqual(await buildCatalog());
  });

  it('lists all seven environments in gallery order, each task with a one-line title, and the tools free mode offers', () => {
    expect(taskCatalog.envs.map((e) => e.id)).toEqual(ENV_ORDER);
    for (const env of taskCatalog.envs) {
      expect(env.tasks.length, env.id).toBeGreaterThan(0);
      for (const t of env.tasks) expect(t.title, t.id).toMatch(/^[^\n]{3,200}$/);
      expect(new Set(env.tasks.map((t) => t.id)).size, `${env.id} ids are unique`).toBe(env.tasks.length);
    }
    expect(taskCatalog.tools.map((t) => t.name).sort()).toEqual(['Calculator', 'DateCalculator', 'JavaScript', 'SQL', 'UnitConverter', 'WikiSearch']);
  });
});
