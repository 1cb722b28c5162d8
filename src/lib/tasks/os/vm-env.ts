/**
 * AgentBench OS interaction on a real Linux (Debian i386 in v86), with the harness's order of things
 * (agentbench-task.py `_judge`, lines 384-475): `create.init` scripts run outside the session before the
 * episode, the `start` script is typed into the agent's session (a background job keeps running across
 * turns), every `Act: bash` block is typed into that one bash session (root, in `/`), and after `answer` or
 * `finish` the checks run in the same machine. The step's observation is the command's output (the OS
 * protocol adds "The output of the OS:" and the 800-character cut); clean by default, the raw terminal
 * stream with `{ raw: true }`.
 */
import type { Action, EnvView, StepResult, TaskEnvironment, TaskSpec } from '../types';
import { loadVmAssets } from '../../runtimes/v86/assets';
import { DEFAULT_COMMAND_LIMIT_MS, VmShell, type ShellRun } from '../../runtimes/v86/vm-shell';
import { capText } from '../../runtimes/output';
import { FIXED_EPISODE, stepSeed, type EpisodeSeed } from '../../runtimes/determinism';
import { judge, type AgentBenchOsProblem } from './agentbench';
import { isInlineTaskData, problemFromInline } from './inline';
import type { OsTaskData } from './tasks';

/** An AgentBench problem, or a task in the project's own format (converted at reset). */
export type OsVmTask = TaskSpec & { env: 'os'; data: AgentBenchOsProblem | OsTaskData };

/**
 * The task's own init and check scripts (AgentBench bounds neither below minutes): dev #3's check starts python3
 * 42 times, each a few seconds in the emulator.
 */
export const SCRIPT_LIMIT_MS = 600_000;

export interface OsVmOptions {
  /** Per-command limit of the agent's session (default 30 s). */
  commandLimitMs?: number;
  /** Limit of each init and check script (default 600 s). */
  scriptLimitMs?: number;
  /** Observations are the raw terminal stream (CRLF, the echo, the prompt) instead of clean output. */
  raw?: boolean;
}

const TRANSCRIPT_CHARS = 20_000;

/** A seed for bash's $RANDOM (an assignment seeds it) per session (0) and init script (1, 2, ...). */
const randomSeed = (episode: EpisodeSeed, n: number): number => stepSeed(episode, n) % 32768;

export function timeoutNote(run: ShellRun, limitMs: number): string {
  if (!run.timedOut) return '';
  const secs = `${limitMs / 1000} s`;
  if (run.restored) {
    return `\n[The command ran longer than ${secs} and the machine stopped answering; it was restored to the start of the task and the ${run.restored.replayed} earlier command(s) were run again.]`;
  }
  return `\n[The command ran longer than ${secs} and was interrupted (Ctrl-C).]`;
}

export class OsVmEnvironment implements TaskEnvironment<OsVmTask> {
  readonly id = 'os' as const;
  private shell: VmShell | undefined;
  private problem: AgentBenchOsProblem | undefined;
  private done = false;
  private readonly limitMs: number;
  private readonly scriptLimitMs: number;
  /** The terminal's bytes for a live view (the agent's session only). */
  onTerminal: ((text: string) => void) | undefined;
  /** The end of the agent's session as a terminal shows it (what `view()` returns). */
  private transcript = '';

  constructor(private readonly options: OsVmOptions = {}) {
    this.limitMs = options.commandLimitMs ?? DEFAULT_COMMAND_LIMIT_MS;
    this.scriptLimitMs = options.scriptLimitMs ?? SCRIPT_LIMIT_MS;
  }

  async reset(task: OsVmTask, episode: EpisodeSeed = FIXED_EPISODE): Promise<string> {
    if (!this.shell) this.shell = await VmShell.start(await loadVmAssets());
    else await this.shell.reset();
    const shell = this.shell;
    shell.onTerminal = undefined;
    const problem = isInlineTaskData(task.data) ? problemFromInline(task.data) : task.data;
    this.problem = problem;
    this.transcript = '';
    this.done = false;
    // The episode's clock and bash's $RANDOM start from the episode's seed, so the sandbox's replay after a restore
    // sees the random values (dev #25's log, say) the episode saw; the clock then runs on from that start.
    await shell.run(` date -s @${Math.floor(episode.startMs / 1000)} > /dev/null; RANDOM=${randomSeed(episode, 0)}`, this.limitMs);
    for (const [i, s] of problem.init.entries()) {
      const code = s.language === 'bash' ? `RANDOM=${randomSeed(episode, i + 1)}\n${s.code}` : s.code;
      const r = await shell.runIndependent(s.language, code, [], this.scriptLimitMs);
      // AgentBench ignores an init script's exit status (line 387); a timeout is worth saying.
      if (r.exitCode === -1 && r.output.startsWith('Timeout')) throw new Error(`OS task ${task.id}: an init script ran past ${this.scriptLimitMs / 1000} s.`);
    }
    if (problem.start) await shell.run(problem.start.code, this.limitMs);
    await shell.checkpoint();
    shell.onTerminal = (t) => {
      this.transcript = (this.transcript + t).slice(-TRANSCRIPT_CHARS);
      this.onTerminal?.(t);
    };
    return problem.description;
  }

  async step(action: Action): Promise<StepResult> {
    const { shell, problem } = this.started();
    if (this.done) return { observation: 'The task is over; reset to start another.', done: true, reward: 0 };
    if (action.type === 'tool' && action.name === 'bash' && typeof action.args === 'string') {
      const run = await shell.run(action.args, this.limitMs);
      const text = this.options.raw ? run.raw : run.output;
      return { observation: capText(text) + timeoutNote(run, this.limitMs), done: false, reward: 0 };
    }
    if (action.type === 'final' || action.type === 'finish') {
      this.done = true;
      const answer = action.type === 'final' ? [action.answer].flat().join(', ') : undefined;
      const passed = await judge(problem, answer, (s, params) => shell.runIndependent(s.language, s.code, params, this.scriptLimitMs));
      return { observation: passed ? 'Task passed.' : 'Task failed.', done: true, reward: passed ? 1 : 0 };
    }
    return { observation: 'Unsupported action: use "Act: bash", "Act: answer(...)" or "Act: finish".', done: false, reward: 0 };
  }

  /** The session's terminal: the typed commands, their output and prompts, with the terminal's escape codes. */
  async view(): Promise<EnvView> {
    return { kind: 'terminal', text: this.transcript };
  }

  async dispose(): Promise<void> {
    await this.shell?.destroy();
    this.shell = undefined;
  }

  private started(): { shell: VmShell; problem: AgentBenchOsProblem } {
    if (!this.shell || !this.problem) throw new Error('The OS environment has no task: call reset(task) first.');
    return { shell: this.shell, problem: this.problem };
  }
}
