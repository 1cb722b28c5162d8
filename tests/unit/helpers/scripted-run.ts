/**
 * Runs one scripted episode through the real agent loop and protocol, recording every prompt the engine is asked
 * to complete, for the golden tests that compare them with what the original harness sends
 * (tests/fixtures/golden/<env>/expected.json, made by scripts/golden/<env>.py).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentEvent } from '../../../src/lib/agent/events';
import { runEpisode } from '../../../src/lib/agent/loop';
import type { EpisodeMode, Protocol, ToolSpec } from '../../../src/lib/agent/protocols/types';
import { renderPrompt, type ChatMessage } from '../../../src/lib/agent/template';
import type { Engine, GenerateRequest, GenerateResult } from '../../../src/lib/engine/types';
import type { Action, StepResult, TaskEnvironment, TaskSpec } from '../../../src/lib/tasks/types';

const timings = { promptTokens: 0, reusedTokens: 0, prefillMs: 0, ttftMs: 0, decodeTokensPerSecond: 0 };

/** Replies from a script; records each prompt. Token counts are characters / 4: no budget cut at these sizes. */
class ScriptedEngine implements Engine {
  readonly prompts: string[] = [];
  constructor(private readonly replies: string[]) {}
  async load(): Promise<never> {
    throw new Error('not used');
  }
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.prompts.push(request.prompt);
    const text = this.replies.shift();
    if (text === undefined) throw new Error('the script ran out of replies');
    return { text, tokens: 1, stopReason: 'eos', timings };
  }
  async interrupt(): Promise<void> {}
  async reset(): Promise<void> {}
  async countTokens(text: string): Promise<number> {
    return Math.ceil(text.length / 4);
  }
  async unload(): Promise<void> {}
}

export interface GoldenRun {
  prompts: string[];
  done: Extract<AgentEvent, { type: 'done' }>;
  events: AgentEvent[];
}

export async function runScripted(
  protocol: Protocol,
  env: TaskEnvironment,
  task: TaskSpec,
  replies: string[],
  options: { mode: EpisodeMode; tools?: ToolSpec[] },
): Promise<GoldenRun> {
  const engine = new ScriptedEngine(replies);
  const events: AgentEvent[] = [];
  for await (const e of runEpisode(engine, env, protocol, { task, ...options, contextLength: 1 << 20, sampling: { maxNewTokens: 512 } })) events.push(e);
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error('the episode did not finish');
  return { prompts: engine.prompts, done, events };
}

/** A fixture of tests/fixtures/golden/<env>/, by name without `.json`. */
export function golden<T>(env: string, file: string): T {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/golden', env, `${file}.json`), 'utf8')) as T;
}

/** The original's message list as the Agent-FLAN template renders it (system and user turns both as Human). */
export const rendered = (messages: ChatMessage[]) => renderPrompt(messages);

/** A tools environment that returns `results` in order for tool calls; a final answer ends it with reward 1. */
export class ScriptedTools implements TaskEnvironment {
  readonly id = 'tools' as const;
  readonly actions: Action[] = [];
  private readonly results: string[];
  constructor(
    private readonly request: string,
    results: string[],
  ) {
    this.results = [...results];
  }
  async reset(): Promise<string> {
    return this.request;
  }
  async step(action: Action): Promise<StepResult> {
    this.actions.push(action);
    if (action.type === 'final') return { observation: 'Correct.', done: true, reward: 1 };
    return { observation: this.results.shift()!, done: false, reward: 0 };
  }
}
