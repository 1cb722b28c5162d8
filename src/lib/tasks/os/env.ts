import type { Action, EnvView, StepResult, TaskEnvironment } from '../types';
import { Shell } from '../../runtimes/shell';
import { capText } from '../../runtimes/output';
import type { OsEvaluation, OsTask } from './tasks';

/**
 * AgentBench OS interaction over the simulated shell. `reset` returns the task description (the OS
 * protocol's task message adds AgentBench's "Now, I will start a new problem in a new OS..." preamble);
 * a bash action returns the terminal output (empty string when there is none); `answer(...)` and
 * `finish` end the episode and are scored by the task's evaluation, run in the same shell.
 */
export class OsEnvironment implements TaskEnvironment<OsTask> {
  readonly id = 'os' as const;
  private shell: Shell | undefined;
  private task: OsTask | undefined;
  private done = false;

  async reset(task: OsTask): Promise<string> {
    this.task = task;
    this.done = false;
    this.shell = new Shell(task.data.files);
    if (task.data.init) {
      const setup = await this.shell.runDetached(task.data.init);
      if (setup.exitCode !== 0) throw new Error(`OS task ${task.id}: setup failed (${setup.exitCode}): ${setup.output}`);
    }
    return task.data.description;
  }

  async step(action: Action): Promise<StepResult> {
    const { shell, task } = this.started();
    if (this.done) return { observation: 'The task is over; reset to start another.', done: true, reward: 0 };
    if (action.type === 'tool' && action.name === 'bash' && typeof action.args === 'string') {
      const { output } = await shell.run(action.args);
      return { observation: capText(output), done: false, reward: 0 };
    }
    if (action.type === 'final' || action.type === 'finish') {
      this.done = true;
      const answer = action.type === 'final' ? [action.answer].flat().join(', ').trim() : undefined;
      const passed = await evaluate(shell, task.data.evaluation, answer);
      return { observation: passed ? 'Task passed.' : 'Task failed.', done: true, reward: passed ? 1 : 0 };
    }
    return { observation: 'Unsupported action: use "Act: bash", "Act: answer(...)" or "Act: finish".', done: false, reward: 0 };
  }

  async view(): Promise<EnvView> {
    const { shell } = this.started();
    return { kind: 'files', files: await shell.listFiles('/') };
  }

  private started(): { shell: Shell; task: OsTask } {
    if (!this.shell || !this.task) throw new Error('The OS environment has no task: call reset(task) first.');
    return { shell: this.shell, task: this.task };
  }
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

async function evaluate(shell: Shell, evaluation: OsEvaluation, answer: string | undefined): Promise<boolean> {
  if ('match' in evaluation) return answer !== undefined && answer === evaluation.match.trim();
  if ('compare' in evaluation) {
    if (answer === undefined) return false;
    const expected = (await shell.runDetached(evaluation.example)).output.trim();
    if (evaluation.compare === 'string') return answer === expected;
    return /^-?\d+$/.test(answer) && /^-?\d+$/.test(expected) && BigInt(answer) === BigInt(expected);
  }
  const script = answer === undefined ? evaluation.check : `ANSWER=${shellQuote(answer)}\n${evaluation.check}`;
  return (await shell.runDetached(script)).exitCode === 0;
}
