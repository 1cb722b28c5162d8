/**
 * The evaluation suites and the rows of the paper's table they fill: held-in (AgentBench OS, DB, KG, ALFWorld
 * household, WebShop shop), held-out (HotpotQA wiki, tools), and Agent-H (the hallucination negatives). Each row is
 * scored the way its original benchmark reports it (see `ROWS`).
 */
import { loadEnvModule } from '../../tasks/registry';
import type { EnvId, TaskSpec } from '../../tasks/types';

export type SuiteId = 'held-in' | 'held-out' | 'agent-h' | 'all';
export const SUITES: SuiteId[] = ['held-in', 'held-out', 'agent-h', 'all'];

export type RowId = 'os' | 'db' | 'kg' | 'household' | 'shop' | 'wiki' | 'tools' | 'agent-h';

export interface RowSpec {
  id: RowId;
  group: 'held-in' | 'held-out' | 'agent-h';
  label: string;
  env: EnvId;
  /**
   * `success`: share of episodes with full reward through a real end (OS, DB, ALFWorld, HotpotQA exact match, tools,
   * Agent-H); `reward`: the mean reward (KG's F1, WebShop's attribute score), as AgentBench reports those two.
   */
  metric: 'success' | 'reward';
}

export const ROWS: RowSpec[] = [
  { id: 'os', group: 'held-in', label: 'OS (AgentBench)', env: 'os', metric: 'success' },
  { id: 'db', group: 'held-in', label: 'DB (AgentBench)', env: 'db', metric: 'success' },
  { id: 'kg', group: 'held-in', label: 'KG (AgentBench, F1)', env: 'kg', metric: 'reward' },
  { id: 'household', group: 'held-in', label: 'Household (ALFWorld)', env: 'household', metric: 'success' },
  { id: 'shop', group: 'held-in', label: 'Shop (WebShop, reward)', env: 'shop', metric: 'reward' },
  { id: 'wiki', group: 'held-out', label: 'Wiki (HotpotQA, EM)', env: 'wiki', metric: 'success' },
  { id: 'tools', group: 'held-out', label: 'Tools (ReAct)', env: 'tools', metric: 'success' },
  { id: 'agent-h', group: 'agent-h', label: 'Agent-H (no tool call)', env: 'tools', metric: 'success' },
];

export interface SuiteEpisode {
  /** Stable across runs: the record's file name and the resume key. */
  key: string;
  row: RowId;
  env: EnvId;
  task: TaskSpec;
}

const isNegative = (task: TaskSpec) => !!(task.data as { expected?: { noTool?: boolean } } | undefined)?.expected?.noTool;

async function rowTasks(row: RowId): Promise<TaskSpec[]> {
  if (row === 'agent-h') {
    const [{ agentH }, tools] = await Promise.all([import('../../tasks/tools/agent-h'), loadEnvModule('tools')]);
    // The gallery's own five negatives, then the built set.
    return [...tools.tasks.filter(isNegative), ...agentH.tasks];
  }
  const module = await loadEnvModule(ROWS.find((r) => r.id === row)!.env);
  return row === 'tools' ? module.tasks.filter((t) => !isNegative(t)) : module.tasks;
}

export function suiteRows(suite: SuiteId): RowSpec[] {
  return suite === 'all' ? ROWS : ROWS.filter((r) => r.group === suite);
}

/** The suite's episodes in table order; `limit` caps the episodes per row. */
export async function suiteEpisodes(suite: SuiteId, limit = Infinity): Promise<SuiteEpisode[]> {
  const out: SuiteEpisode[] = [];
  for (const row of suiteRows(suite)) {
    for (const task of (await rowTasks(row.id)).slice(0, limit)) out.push({ key: `${row.id}--${task.id}`, row: row.id, env: row.env, task });
  }
  return out;
}
