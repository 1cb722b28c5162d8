/**
 * A Linux machine for one episode: restored from the booted state, one persistent root bash session in `/`,
 * commands under a time limit, and programs run outside the session as `docker exec` runs them (AgentBench's
 * `execute_independent`). When a command overruns, Ctrl-C comes first; if the machine does not answer, it
 * is put back into the last checkpoint (taken after the task's set-up) and the commands since are typed
 * again. The guest's state after a restore is the saved one, so a replay sees the same pids, the same kernel
 * random state and the same bash `$RANDOM` sequence; what can differ is what depends on elapsed time (clock
 * values, how far a background job got).
 */
import { VmMachine, type VmAssets } from './machine';
import { ShellSession, type SessionRun } from './session';

/** Per-command limit: AgentBench has none below minutes; this lets `sleep 3` and a 10 s `find` finish. */
export const DEFAULT_COMMAND_LIMIT_MS = 30_000;

export interface ShellRun extends SessionRun {
  /** Set when the machine did not answer after Ctrl-C and was restored; the earlier commands were replayed. */
  restored?: { replayed: number };
}

export interface IndependentRun {
  output: string;
  exitCode: number;
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function fromBase64(b64: string): string {
  const binary = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The environment `docker exec` gives a process in the AgentBench image (no tty: no TERM). */
const EXEC_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOSTNAME="$(hostname)" HOME=/root';

export class VmShell {
  private session: ShellSession;
  private checkpointState: ArrayBuffer;
  private log: string[] = [];

  private constructor(
    private readonly machine: VmMachine,
    private readonly assets: VmAssets,
  ) {
    this.session = new ShellSession(machine);
    this.checkpointState = assets.state;
  }

  static async start(assets: VmAssets): Promise<VmShell> {
    const shell = new VmShell(await VmMachine.restore(assets), assets);
    if (!(await shell.session.sync(10_000))) throw new Error('The Linux guest did not answer after its state was restored.');
    return shell;
  }

  /** The terminal's bytes as they come (typed commands included), for a live view. */
  set onTerminal(fn: ((text: string) => void) | undefined) {
    this.session.onTerminal = fn;
  }

  /** Back to the freshly booted machine (a restore, not a reboot). */
  async reset(): Promise<void> {
    this.checkpointState = this.assets.state;
    this.log = [];
    await this.restoreTo(this.assets.state);
  }

  /** Remembers the machine as it is now; a restore after a runaway command comes back here. */
  async checkpoint(): Promise<void> {
    this.checkpointState = await this.machine.saveState();
    this.log = [];
  }

  private async restoreTo(state: ArrayBuffer): Promise<void> {
    await this.machine.restoreState(state);
    if (!(await this.session.sync(10_000))) throw new Error('The Linux guest did not answer after a restore.');
  }

  /** Types `command` into the session and returns what it printed. */
  async run(command: string, limitMs = DEFAULT_COMMAND_LIMIT_MS): Promise<ShellRun> {
    const result = await this.exec(command, limitMs);
    this.log.push(command);
    return result;
  }

  private async exec(command: string, limitMs: number): Promise<ShellRun> {
    const result: ShellRun = await this.session.run(command, limitMs);
    if (!result.timedOut || result.answered) return result;
    // The machine did not come back from Ctrl-C (a fork bomb, memory exhausted): restore and replay.
    const view = this.session.onTerminal;
    this.session.onTerminal = undefined;
    try {
      await this.restoreTo(this.checkpointState);
      for (const earlier of this.log) await this.session.run(earlier, limitMs);
    } finally {
      this.session.onTerminal = view;
    }
    result.restored = { replayed: this.log.length };
    return result;
  }

  /**
   * Runs a script outside the session, as AgentBench's `execute_independent` does with `docker exec`
   * (agentbench-task.py lines 81-103): `bash -c script -- params...` or `python3 -c script params...`, in
   * `/`, stdin empty, stdout and stderr together. Script and arguments cross the serial line as base64.
   */
  async runIndependent(language: 'bash' | 'python', script: string, params: string[] = [], limitMs = DEFAULT_COMMAND_LIMIT_MS): Promise<IndependentRun> {
    // Base64 in lines of 1000: the tty's line discipline holds at most 4095 characters of one typed line.
    const arg = (s: string, i: number) => `a${i}="$(printf %s '${base64(s).replace(/.{1000}(?=.)/g, '$&\n')}' | base64 -d; echo x)"; a${i}="\${a${i}%x}";`;
    const decl = [arg(script, 0), ...params.map((p, i) => arg(p, i + 1))].join(' ');
    const refs = params.map((_, i) => `"$a${i + 1}"`).join(' ');
    const program = language === 'bash' ? `bash -c "$a0"${params.length ? ` -- ${refs}` : ''}` : `python3 -c "$a0" ${refs}`;
    const line = ` ( ${decl} cd / && env -i ${EXEC_ENV} ${program} </dev/null >/run/.vm-out 2>&1; s=$?; base64 -w0 /run/.vm-out; echo " $s"; rm -f /run/.vm-out )`;
    const view = this.session.onTerminal;
    this.session.onTerminal = undefined;
    const result = await this.exec(line, limitMs).finally(() => (this.session.onTerminal = view));
    // `<base64 of the output> <status>`; an empty output leaves the line starting with the space.
    const m = result.output.match(/^([A-Za-z0-9+/=]*) (\d+)\n$/);
    if (result.timedOut || !m) {
      return { output: result.timedOut ? `Timeout: ran longer than ${limitMs / 1000} s.` : result.output, exitCode: -1 };
    }
    return { output: fromBase64(m[1]), exitCode: Number(m[2]) };
  }

  async destroy(): Promise<void> {
    this.session.dispose();
    await this.machine.destroy();
  }
}
