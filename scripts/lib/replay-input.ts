/**
 * What `npm run replay` reads: a JSONL line {"env", "task", "turns", "mode"?} (task: a catalog id, or an inline
 * task; for db an AgentBench dbbench entry), or a whole episode record. Either becomes a replay through the loop.
 */
import { getProtocol } from '../../src/lib/agent/protocols/index';
import { replayPlan, replayTurns } from '../../src/lib/agent/replay';
import { startOf, type EpisodeRecord } from '../../src/lib/agent/record';
import type { EpisodeMode } from '../../src/lib/agent/protocols/types';
import { envLoaders, loadEnvModule } from '../../src/lib/tasks/registry';
import { dbTaskFromEntry } from '../../src/lib/tasks/db/env';
import { taskTools, type EnvId, type EnvModule, type TaskSpec } from '../../src/lib/tasks/types';

export function resolveTask(module: EnvModule, task: unknown, line: number): TaskSpec {
  if (typeof task === 'string') {
    const found = module.tasks.find((t) => t.id === task);
    if (!found) throw new Error(`no ${module.id} task "${task}" in the catalog (e.g. ${module.tasks.slice(0, 3).map((t) => t.id).join(', ')})`);
    return found;
  }
  if (module.id === 'db') return dbTaskFromEntry(task, `line-${line}`);
  const t = task as Partial<TaskSpec> | null;
  if (!t || typeof t !== 'object' || typeof t.id !== 'string') throw new Error('"task" must be a catalog id or an inline task object with an "id"');
  return { title: t.id, ...t, env: module.id } as TaskSpec;
}

function envId(value: unknown): EnvId {
  if (typeof value !== 'string' || !(value in envLoaders)) throw new Error(`"env" must be one of ${Object.keys(envLoaders).join(', ')}`);
  return value as EnvId;
}

/** Replays one input line {"env", "task", "turns", "mode"?}. */
export async function replayLine(text: string, line: number): Promise<EpisodeRecord> {
  let input: { env?: unknown; task?: unknown; turns?: unknown; mode?: unknown };
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  const module = await loadEnvModule(envId(input.env));
  if (!Array.isArray(input.turns) || !input.turns.every((t) => typeof t === 'string')) throw new Error('"turns" must be an array of strings');
  if (input.mode !== undefined && input.mode !== 'strict' && input.mode !== 'lenient') throw new Error('"mode" must be "strict" or "lenient"');
  const task = resolveTask(module, input.task, line);
  const env = await module.create();
  return replayTurns(env, getProtocol(module.protocolId), input.turns as string[], { task, tools: taskTools(task), mode: input.mode as EpisodeMode | undefined });
}

/** Replays a whole record (its task, tools, mode and replies) and returns the new record. */
export async function replayRecordFile(record: EpisodeRecord): Promise<EpisodeRecord> {
  const { turns, options } = replayPlan(record);
  const start = startOf(record);
  const module = await loadEnvModule(envId(start.env));
  return replayTurns(await module.create(), getProtocol(start.protocol), turns, options);
}
