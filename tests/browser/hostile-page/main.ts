/**
 * Plays hostile episodes as the app plays an expert replay: scripted assistant turns through the real agent loop
 * and protocol, the real bundled sandbox worker (under the CSP its script is served with) and the real trace view.
 * Everything goes through the sandbox's public API (SandboxClient: lookupTask, reset, step), so the OS episodes
 * run unchanged against any implementation of the `os` environment.
 */
import { mount, unmount } from 'svelte';
import TraceView from '../../../src/lib/ui/agent/TraceView.svelte';
import EnvironmentState from '../../../src/lib/ui/agent/EnvironmentState.svelte';
import TaskGallery from '../../../src/lib/ui/agent/TaskGallery.svelte';
import { EpisodeRunner } from '../../../src/lib/ui/agent/episode-runner.svelte';
import { ScriptedEngine } from '../../../src/lib/agent/scripted-engine';
import { SandboxClient } from '../../../src/lib/sandbox/client';
import { getProtocol } from '../../../src/lib/agent/protocols';
import type { Engine } from '../../../src/lib/engine/types';
import type { EnvId, EnvView } from '../../../src/lib/tasks/types';
import type { CatalogEnv } from '../../../src/lib/tasks/catalog';

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

let rendered: ReturnType<typeof mount>[] = [];

/** Hostile data as the app's views show it: an environment's state view, and gallery cards with these titles. */
function render(view: EnvView, titles: string[]): void {
  for (const component of rendered) unmount(component);
  const envs: CatalogEnv[] = [{ id: 'wiki', label: 'Wiki', protocolId: 'react', tasks: titles.map((title, i) => ({ id: `t${i}`, title })) }];
  const target = document.getElementById('view')!;
  rendered = [mount(EnvironmentState, { target, props: { view } }), mount(TaskGallery, { target, props: { envs, onOpen: () => {} } })];
}

Object.assign(window, { hostile: { episode, render } });
