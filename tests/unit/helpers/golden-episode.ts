/**
 * Runs a scripted episode through the real loop and protocol and returns what the golden fixtures
 * (tests/fixtures/golden/<env>/, made by scripts/golden/<env>.py from the original harness code) record: every
 * prompt the model was given, and the whole history.
 */
import { readFileSync } from 'node:fs';
import { runEpisode } from '../../../src/lib/agent/loop';
import type { AgentEvent } from '../../../src/lib/agent/events';
import type { EpisodeMode, Protocol } from '../../../src/lib/agent/protocols/types';
import type { ChatMessage } from '../../../src/lib/agent/template';
import type { TaskEnvironment, TaskSpec } from '../../../src/lib/tasks/types';
import { ScriptedEngine } from '../../../src/lib/ui/agent/scripted-engine';

export interface GoldenEpisode {
  replies: string[];
  firstPrompt: string;
  prompts: string[];
  history: ChatMessage[];
  [key: string]: unknown;
}

export function readGolden<T = GoldenEpisode>(env: string, name = 'episode.json'): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/golden/${env}/${name}`, import.meta.url), 'utf8')) as T;
}

export async function runGolden(
  protocol: Protocol,
  env: TaskEnvironment,
  task: TaskSpec,
  replies: readonly string[],
  mode: EpisodeMode = 'strict',
): Promise<{ prompts: string[]; history: ChatMessage[]; done: Extract<AgentEvent, { type: 'done' }> }> {
  const prompts: string[] = [];
  const engine = new ScriptedEngine(replies, { charsPerSecond: Infinity });
  const generate = engine.generate.bind(engine);
  engine.generate = (request, onToken) => {
    prompts.push(request.prompt);
    return generate(request, onToken);
  };
  let done: Extract<AgentEvent, { type: 'done' }> | undefined;
  // A context no cut can touch: the originals never cut a prompt.
  for await (const e of runEpisode(engine, env, protocol, { task, mode, contextLength: 10_000_000 })) if (e.type === 'done') done = e;
  if (!done) throw new Error('the episode did not finish');
  // The template renders a system message as a user turn; the originals inject the instruction as a user turn.
  // An episode the environment ended records its closing observation, which no model reads and no harness injects.
  const transcript = ['final', 'finish', 'env-done'].includes(done.reason) ? done.transcript.slice(0, -1) : done.transcript;
  const history = transcript.map((m): ChatMessage => ({ role: m.role === 'system' ? 'user' : m.role, content: m.content }));
  return { prompts, history, done };
}
