/**
 * The 26 AgentBench OS dev tasks as gallery tasks, from `agentbench-dev.json` (made by `npm run catalog` from
 * tests/fixtures/agentbench/os_interaction/, a drift test keeps them equal), each with "Watch the expert": its
 * example solution typed as one bash action, then the answer the check chain accepts (or `finish`).
 */
import type { AgentBenchOsProblem } from './agentbench';
import type { OsVmTask } from './vm-env';
import devJson from './agentbench-dev.json';

export interface AgentBenchDevTask {
  index: number;
  title: string;
  problem: AgentBenchOsProblem;
  /** The commands the expert types: the problem's example, or ours where it ships none. */
  solution: string;
  /** How the expert ends: `answer(value)`, `finish` (null); absent where no expert can pass (see the builder). */
  answer?: string | null;
}

export interface AgentBenchDevTasks {
  source: string;
  /** AgentBench's check scripts the project's own OS tasks reuse (`integer-match.py`, `string-match.py`). */
  checks: Record<string, string>;
  tasks: AgentBenchDevTask[];
}

export const agentBenchDev = devJson as AgentBenchDevTasks;

export const devTaskId = (index: number): string => `os-agentbench-dev-${index}`;

export const devTasks: OsVmTask[] = agentBenchDev.tasks.map((t) => ({ id: devTaskId(t.index), env: 'os', title: t.title, data: t.problem }));

const expertTurns = (t: AgentBenchDevTask): string[] => [
  `Think: I run the commands that answer this.\n\nAct: bash\n\n\`\`\`bash\n${t.solution}\n\`\`\``,
  t.answer === null ? 'Think: That does what was asked.\n\nAct: finish' : `Think: The output gives the answer.\n\nAct: answer(${t.answer})`,
];

export const devExperts: Record<string, string[]> = Object.fromEntries(
  agentBenchDev.tasks.filter((t) => t.answer !== undefined).map((t) => [devTaskId(t.index), expertTurns(t)]),
);
