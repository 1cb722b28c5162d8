/**
 * `npm run replay -- <file.jsonl>`: replays recorded assistant turns through the same protocol parsers and
 * environments as the app, through the agent loop. Input lines: {"env": "<os|db|kg|household|shop|wiki|tools>", "task":
 * <catalog task id | inline task (for db: an AgentBench dbbench entry)>, "turns": ["<assistant text>", ...], "mode":
 * "strict" | "lenient" (optional, default lenient)}. Output lines: {"reward", "done", "reason", "mode", "steps",
 * "observations"}; a malformed line yields {"line", "error"} and the rest go on.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { getProtocol } from '../src/lib/agent/protocols/index';
import type { EpisodeMode } from '../src/lib/agent/protocols/types';
import { replayTurns } from '../src/lib/agent/replay';
import { envLoaders, loadEnvModule } from '../src/lib/tasks/registry';
import { dbTaskFromEntry } from '../src/lib/tasks/db/env';
import { taskTools, type EnvId, type EnvModule, type TaskSpec } from '../src/lib/tasks/types';

function resolveTask(module: EnvModule, task: unknown, line: number): TaskSpec {
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

async function replayLine(text: string, line: number): Promise<object> {
  let input: { env?: unknown; task?: unknown; turns?: unknown; mode?: unknown };
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  if (typeof input.env !== 'string' || !(input.env in envLoaders)) {
    throw new Error(`"env" must be one of ${Object.keys(envLoaders).join(', ')}`);
  }
  if (!Array.isArray(input.turns) || !input.turns.every((t) => typeof t === 'string')) throw new Error('"turns" must be an array of strings');
  if (input.mode !== undefined && input.mode !== 'strict' && input.mode !== 'lenient') throw new Error('"mode" must be "strict" or "lenient"');
  const module = await loadEnvModule(input.env as EnvId);
  const task = resolveTask(module, input.task, line);
  const env = await module.create();
  const mode = input.mode as EpisodeMode | undefined;
  const result = await replayTurns(env, getProtocol(module.protocolId), task, input.turns as string[], { tools: taskTools(task), mode });
  return { reward: result.reward, done: result.done, reason: result.reason, mode: result.mode, steps: result.steps, observations: result.observations };
}

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run replay -- <file.jsonl>');
  process.exit(2);
}
let line = 0;
for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  line++;
  if (!text.trim()) continue;
  try {
    console.log(JSON.stringify(await replayLine(text, line)));
  } catch (e) {
    console.log(JSON.stringify({ line, error: (e as Error).message }));
  }
}
