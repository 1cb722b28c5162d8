/**
 * What `npm run replay` reads: a JSONL line {"env", "task", "turns", "mode"?} (task: a catalog id, or an inline
 * task; for db an AgentBench dbbench entry, for os an AgentBench problem as shipped or the project's own format),
 * a whole episode record, or an AgentBench OS problem file (`dev.json`, `N/*.json`) whose example solutions are
 * played. Each becomes a replay through the loop.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { getProtocol } from '../../src/lib/agent/protocols/index';
import { replayEvents, replayPlan, replayTurns } from '../../src/lib/agent/replay';
import { isRecorded, startOf, type EpisodeRecord } from '../../src/lib/agent/record';
import type { EpisodeMode } from '../../src/lib/agent/protocols/types';
import { envLoaders, loadEnvModule } from '../../src/lib/tasks/registry';
import { dbTaskFromEntry } from '../../src/lib/tasks/db/env';
import { parseAgentBenchOsFile, parseAgentBenchOsProblem, type AgentBenchOsProblem, type ReadScript } from '../../src/lib/tasks/os/agentbench';
import type { OsVmTask } from '../../src/lib/tasks/os/vm-env';
import { taskTools, type EnvId, type EnvModule, type TaskEnvironment, type TaskSpec } from '../../src/lib/tasks/types';
import { useVmAssetsFromDisk } from '../../src/lib/runtimes/v86/assets-node';

// OS tasks run on the Linux guest in public/vm/ (npm run build:guest).
useVmAssetsFromDisk();

/** Reads a `file:` script of an AgentBench OS problem from its script folder. */
export function scriptReader(dir: string | undefined): ReadScript {
  return (path) => {
    if (!dir) throw new Error(`the problem names the script file "${path}": give its folder with --scripts DIR`);
    const file = resolve(dir, path);
    if (!existsSync(file)) throw new Error(`script file "${path}" is not in ${dir} (give the problem file's script folder with --scripts DIR)`);
    return readFileSync(file, 'utf8');
  };
}

const isAgentBenchProblem = (task: object): boolean => 'description' in task && 'evaluation' in task;

export function resolveTask(module: EnvModule, task: unknown, line: number, read: ReadScript = scriptReader(undefined)): TaskSpec {
  if (typeof task === 'string') {
    const found = module.tasks.find((t) => t.id === task);
    if (!found) throw new Error(`no ${module.id} task "${task}" in the catalog (e.g. ${module.tasks.slice(0, 3).map((t) => t.id).join(', ')})`);
    return found;
  }
  if (module.id === 'db') return dbTaskFromEntry(task, `line-${line}`);
  if (module.id === 'os' && task && typeof task === 'object' && isAgentBenchProblem(task)) {
    const problem = parseAgentBenchOsProblem(task, read, `line ${line}`);
    return { id: `line-${line}`, env: 'os', title: problem.description.slice(0, 80), data: problem } satisfies OsVmTask;
  }
  const t = task as Partial<TaskSpec> | null;
  if (!t || typeof t !== 'object' || typeof t.id !== 'string') throw new Error('"task" must be a catalog id or an inline task object with an "id"');
  return { title: t.id, ...t, env: module.id } as TaskSpec;
}

function envId(value: unknown): EnvId {
  if (typeof value !== 'string' || !(value in envLoaders)) throw new Error(`"env" must be one of ${Object.keys(envLoaders).join(', ')}`);
  return value as EnvId;
}

/** Replays one input line {"env", "task", "turns", "mode"?}; `scripts`: where an AgentBench problem's `file:` scripts are. */
export async function replayLine(text: string, line: number, scripts?: string): Promise<EpisodeRecord> {
  let input: { env?: unknown; task?: unknown; turns?: unknown; mode?: unknown };
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  const module = await loadEnvModule(envId(input.env));
  if (!Array.isArray(input.turns) || !input.turns.every((t) => typeof t === 'string')) throw new Error('"turns" must be an array of strings');
  if (input.mode !== undefined && input.mode !== 'strict' && input.mode !== 'lenient') throw new Error('"mode" must be "strict" or "lenient"');
  const task = resolveTask(module, input.task, line, scriptReader(scripts));
  return withEnv(module, (env) => replayTurns(env, getProtocol(module.protocolId), input.turns as string[], { task, tools: taskTools(task), mode: input.mode as EpisodeMode | undefined }));
}

/** Runs `fn` on a fresh environment and disposes of it after (the OS guest's machine must not outlive its replay). */
async function withEnv<T>(module: EnvModule, fn: (env: TaskEnvironment) => Promise<T>): Promise<T> {
  const env = await module.create();
  try {
    return await fn(env);
  } finally {
    await (env as { dispose?: () => Promise<void> }).dispose?.();
  }
}

/** Replays a whole record (its task, tools, mode and replies) and returns the new record. */
export async function replayRecordFile(record: EpisodeRecord): Promise<EpisodeRecord> {
  const { turns, options } = replayPlan(record);
  const start = startOf(record);
  const module = await loadEnvModule(envId(start.env));
  return withEnv(module, (env) => replayTurns(env, getProtocol(start.protocol), turns, options));
}

/** Whether a file is an AgentBench OS problem file (a problem or a list of them) rather than replay lines. */
export function isAgentBenchOsFile(text: string): boolean {
  try {
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.every((p) => p && typeof p === 'object' && isAgentBenchProblem(p)) : !!parsed && typeof parsed === 'object' && isAgentBenchProblem(parsed);
  } catch {
    return false;
  }
}

/** AgentBench's layout: `data/dev.json` pairs with `scripts/dev/`, `data/N/x.json` with `scripts/N/`. */
export function defaultScriptDir(file: string): string {
  const dir = dirname(resolve(file));
  const folder = basename(dir);
  return /^\d+$/.test(folder) ? join(dir, '../../scripts', folder) : join(dir, '../scripts', basename(file).replace(/\.jsonl?$/, ''));
}

function exampleOf(problem: AgentBenchOsProblem) {
  return ('check' in problem.evaluation ? problem.evaluation.example : undefined) ?? problem.example;
}

/**
 * Plays each problem's example solution through the loop, as "Watch the expert" does: the example typed as one bash
 * action, then, where the checks compare an answer (a match, or a chain starting with the example), its output as the
 * answer, else `finish`. Yields a record, or an error for a problem that cannot be played.
 */
export async function* replayAgentBenchOsFile(text: string, name: string, scripts: string): AsyncGenerator<EpisodeRecord | { error: string }> {
  const problems = parseAgentBenchOsFile(text, name, scriptReader(scripts));
  const module = await loadEnvModule('os');
  const env = await module.create();
  const protocol = getProtocol(module.protocolId);
  try {
    for (const [i, problem] of problems.entries()) {
      const example = exampleOf(problem);
      if (!example || example.language !== 'bash') {
        yield { error: `${name} #${i}: no bash example solution to play` };
        continue;
      }
      const ev = problem.evaluation;
      const answers = 'match' in ev || ev.check.includes(null);
      const turns = [`Think: I run the example solution.\n\nAct: bash\n\n\`\`\`bash\n${example.code}\n\`\`\``];
      const task: OsVmTask = { id: `${basename(name).replace(/\.jsonl?$/, '')}-${i}`, env: 'os', title: problem.description.slice(0, 80), data: problem };
      const record: EpisodeRecord = [];
      for await (const event of replayEvents(env, protocol, turns, { task })) {
        if (isRecorded(event)) record.push(event);
        // The last turn is written once the example's output is known.
        if (event.type === 'observation' && event.source === 'env' && turns.length === 1) {
          turns.push(answers ? `Think: Its output is the answer.\n\nAct: answer(${(event.raw ?? '').trim()})` : 'Think: Done.\n\nAct: finish');
        }
      }
      yield record;
    }
  } finally {
    await (env as { dispose?: () => Promise<void> }).dispose?.();
  }
}
