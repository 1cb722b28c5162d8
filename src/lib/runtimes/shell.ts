/**
 * A simulated bash over an in-memory file system (just-bash): no network (no curl/wget are registered
 * without a network config), no real file system (the default InMemoryFs), no python or js-exec (both
 * are opt-in and left off), bounded in commands, time, output and bytes stored. The browser bundle is
 * used in Node too, so tests run the same command set as the app.
 *
 * One `Shell` keeps the working directory and variables across scripts, as an interactive session does
 * (just-bash resets them per `exec`; the final env of each run is carried into the next).
 */
import { Bash, defineCommand } from 'just-bash/browser';

export interface ShellLimits {
  timeMs: number;
  outputBytes: number;
  fileSystemBytes: number;
}

export const DEFAULT_SHELL_LIMITS: ShellLimits = {
  timeMs: 2000,
  outputBytes: 1024 * 1024,
  fileSystemBytes: 64 * 1024 * 1024,
};

export interface ShellResult {
  output: string;
  exitCode: number;
}

/** `getent passwd|group [key]` over /etc/passwd and /etc/group, which AgentBench's OS tasks use. */
const getent = defineCommand('getent', async (args, ctx) => {
  const [db, key] = args;
  if (db !== 'passwd' && db !== 'group') {
    return { stdout: '', stderr: `getent: unsupported database: ${db ?? ''}\n`, exitCode: 1 };
  }
  const path = `/etc/${db}`;
  const text = (await ctx.fs.exists(path)) ? await ctx.fs.readFile(path, 'utf8') : '';
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const picked = key === undefined ? lines : lines.filter((l) => l.split(':')[0] === key || l.split(':')[2] === key);
  if (key !== undefined && picked.length === 0) return { stdout: '', stderr: '', exitCode: 2 };
  return { stdout: picked.map((l) => `${l}\n`).join(''), stderr: '', exitCode: 0 };
});

export class Shell {
  private readonly bash: Bash;
  private env: Record<string, string> | undefined;

  constructor(files: Record<string, string>, cwd = '/root', limits: Partial<ShellLimits> = {}) {
    const { timeMs, outputBytes, fileSystemBytes } = { ...DEFAULT_SHELL_LIMITS, ...limits };
    this.bash = new Bash({
      files,
      cwd,
      env: { HOME: '/root', USER: 'root', LOGNAME: 'root' },
      customCommands: [getent],
      executionLimitProfile: 'hardened',
      executionLimits: {
        maxExecutionTimeMs: timeMs,
        maxOutputSize: outputBytes,
        maxFileSystemBytes: fileSystemBytes,
      },
    });
  }

  /** Runs a script in the session; stdout and stderr come back interleaved as a terminal shows them. */
  async run(script: string): Promise<ShellResult> {
    const env = this.env;
    const result = await this.bash.exec(script, env ? { env, replaceEnv: true, cwd: env.PWD } : undefined);
    if (result.env?.PWD) this.env = { ...result.env };
    return { output: result.stdout + result.stderr, exitCode: result.exitCode };
  }

  /** Runs a script outside the session (its cd / variables do not carry over), e.g. a checker. */
  async runDetached(script: string): Promise<ShellResult> {
    const result = await this.bash.exec(script, { cwd: '/root' });
    return { output: result.stdout + result.stderr, exitCode: result.exitCode };
  }

  async listFiles(root = '/'): Promise<string[]> {
    const { output } = await this.runDetached(`find ${root} -type f 2>/dev/null | head -n 500`);
    return output.split('\n').filter(Boolean);
  }
}
