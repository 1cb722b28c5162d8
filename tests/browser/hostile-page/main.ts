/**
 * Plays hostile episodes as the app plays an expert replay: scripted assistant turns through the real agent loop
 * and protocol, the real bundled sandbox worker (under the CSP its script is served with) and the real trace view.
 * Everything goes through the sandbox's public API (SandboxClient: lookupTask, reset, step), so the OS episodes
 * run unchanged against any implementation of the `os` environment.
 */
import { mount, unmount } from 'svelte';
import TraceView from '../../../src/lib/ui/agent/TraceView.svelte';
import { EpisodeRunner } from '../../../src/lib/ui/agent/episode-runner.svelte';
import { ScriptedEngine } from '../../../src/lib/ui/agent/scripted-engine';
import { SandboxClient } from '../../../src/lib/sandbox/client';
import { getProtocol } from '../../../src/lib/agent/protocols';
import type { Engine } from '../../../src/lib/engine/types';
import type { EnvId } from '../../../src/lib/tasks/types';

export interface EpisodeReport {
  observations: string[];
  /** Every prompt the engine was given. */
  prompts: string[];
  reason: string | null;
  restarts: number;
}

/** The scripted engine, noting each prompt it is given. */
class RecordingEngine implements Engine {
  readonly prompts: string[] = [];
  constructor(private readonly inner: Engine) {}
  load: Engine['load'] = (...args) => this.inner.load(...args);
  generate: Engine['generate'] = (request, onToken) => {
    this.prompts.push(request.prompt);
    return this.inner.generate(request, onToken);
  };
  interrupt = () => this.inner.interrupt();
  reset = () => this.inner.reset();
  countTokens = (text: string) => this.inner.countTokens(text);
  unload = () => this.inner.unload();
}

let shown: ReturnType<typeof mount> | undefined;

async function episode(env: EnvId, taskId: string, turns: string[], stepTimeoutMs?: number): Promise<EpisodeReport> {
  if (shown) unmount(shown);
  const client = new SandboxClient(env, { stepTimeoutMs });
  try {
    const { task, protocolId } = await client.lookupTask(taskId);
    const engine = new RecordingEngine(new ScriptedEngine(turns, { charsPerSecond: Infinity }));
    const runner = new EpisodeRunner();
    shown = mount(TraceView, { target: document.getElementById('trace')!, props: { runner, who: 'The script' } });
    const outcome = await runner.run(engine, client, getProtocol(protocolId), { task });
    const observations = runner.steps.flatMap((s) => (s.kind === 'observation' ? [s.text] : []));
    return { observations, prompts: engine.prompts, reason: outcome?.reason ?? null, restarts: client.restarts };
  } finally {
    client.dispose();
  }
}

Object.assign(window, { hostile: { episode } });
