/**
 * For the golden tests of the OS, DB, KG and household protocols (tests/fixtures/golden/<env>/, made by
 * scripts/golden/<env>.py from AgentBench.old's code): a scripted episode's prompts and its whole history in the
 * shape those fixtures record them.
 */
import type { AgentEvent } from '../../../src/lib/agent/events';
import type { EpisodeMode, Protocol } from '../../../src/lib/agent/protocols/types';
import type { ChatMessage } from '../../../src/lib/agent/template';
import type { TaskEnvironment, TaskSpec } from '../../../src/lib/tasks/types';
import { runScripted } from './scripted-run';

export interface GoldenEpisode {
  replies: string[];
  firstPrompt: string;
  prompts: string[];
  history: ChatMessage[];
}

export async function runGolden(
  protocol: Protocol,
  env: TaskEnvironment,
  task: TaskSpec,
  replies: readonly string[],
  mode: EpisodeMode = 'strict',
): Promise<{ prompts: string[]; history: ChatMessage[]; done: Extract<AgentEvent, { type: 'done' }> }> {
  const { prompts, done } = await runScripted(protocol, env, task, [...replies], { mode });
  // An episode the environment ended records its closing observation, which no model reads and no harness injects.
  const transcript = ['final', 'finish', 'env-done'].includes(done.reason) ? done.transcript.slice(0, -1) : done.transcript;
  // The template renders a system message as a user turn; the originals inject the instruction as a user turn.
  const history = transcript.map((m): ChatMessage => ({ role: m.role === 'system' ? 'user' : m.role, content: m.content }));
  return { prompts, history, done };
}
