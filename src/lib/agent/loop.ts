/**
 * The agent loop: render the prompt, generate, parse one action, run it in the environment, feed
 * the observation back as a user turn, until an end condition. Depends only on the `Engine` and
 * `TaskEnvironment` interfaces, so the same code runs in the app and under vitest.
 */
import { SAMPLING_DEFAULTS } from '../engine/sampling-defaults';
import type { Engine, GenerateRequest, GenerateResult, TokenEvent } from '../engine/types';
import type { Action, StepResult, TaskEnvironment, TaskSpec } from '../tasks/types';
import { ContextBudget } from './context';
import type { AgentEvent, DoneReason, EpisodeModel } from './events';
import { DEFAULT_EPISODE_MODE, type EpisodeMode, type Protocol, type ToolSpec } from './protocols/types';
import { isRecorded, pairsOf, transcriptOf, type EpisodeRecord } from './record';
import { ASSISTANT_CLOSE, neutraliseTurnMarkers, type ChatMessage } from './template';

export const DEFAULT_CONTEXT_LENGTH = 4096;
/** Below this many tokens of room, a turn is not worth generating. */
const MIN_NEW_TOKENS = 64;
const REPEAT_LIMIT = 3;

export interface EpisodeOptions {
  task: TaskSpec;
  /** Tools offered in ReAct / ToolBench prompts; the parser rejects any other tool name. */
  tools?: ToolSpec[];
  contextLength?: number;
  sampling?: { temperature?: number; topP?: number; maxNewTokens?: number; seed?: number };
  /** Aborting ends the episode; a running generation is interrupted through `engine.interrupt()`. */
  signal?: AbortSignal;
  /** Passed to the context budget (tokens a new cut aims below the budget). */
  headroom?: number;
  /** Default `lenient` (the demo); `strict` ends where the original harness ended. */
  mode?: EpisodeMode;
  /** What generates the turns, for the record (the engine interface does not say). */
  model?: EpisodeModel;
}

const UNKNOWN_MODEL: EpisodeModel = { engine: 'unknown', id: 'unknown' };

export async function* runEpisode(
  engine: Engine,
  env: TaskEnvironment,
  protocol: Protocol,
  options: EpisodeOptions,
): AsyncGenerator<AgentEvent, void, undefined> {
  const { signal, tools } = options;
  const mode = options.mode ?? DEFAULT_EPISODE_MODE;
  const contextLength = options.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  const sampling = { ...SAMPLING_DEFAULTS, ...options.sampling };
  const onAbort = () => void engine.interrupt();
  signal?.addEventListener('abort', onAbort);

  /** Every event but the streamed tokens: the episode's record, from which the prompt's pairs are derived. */
  const record: EpisodeRecord = [];
  const note = (event: AgentEvent): AgentEvent => {
    if (isRecorded(event)) record.push(event);
    return event;
  };
  let prefix: ChatMessage[] = [];
  let steps = 0;
  const done = (reason: DoneReason, reward = 0): AgentEvent =>
    note({ type: 'done', reason, reward, steps, mode, transcript: transcriptOf(record) });

  try {
    yield note({
      type: 'start',
      record: 1,
      env: env.id,
      task: options.task,
      protocol: protocol.id,
      mode,
      ...(tools && { tools }),
      model: options.model ?? UNKNOWN_MODEL,
      sampling,
      contextLength,
      at: new Date().toISOString(),
    });
    if (signal?.aborted) return yield done('interrupted');
    let taskText: string;
    try {
      taskText = await env.reset(options.task);
    } catch (e) {
      yield note({ type: 'error', turn: 0, kind: 'env', message: `reset failed: ${message(e)}` });
      return yield done('error');
    }
    prefix = [
      { role: 'system', content: protocol.systemPrompt({ tools }) },
      ...(protocol.examplesFor?.(options.task) ?? protocol.examples ?? []),
      { role: 'user', content: protocol.taskMessage(neutraliseTurnMarkers(taskText)) },
    ];
    yield note({ type: 'task', text: taskText, messages: prefix });
    const budget = new ContextBudget({
      countTokens: (text) => engine.countTokens(text),
      contextLength,
      maxNewTokens: sampling.maxNewTokens,
      headroom: options.headroom,
    });
    const recent: string[] = [];
    const outputs: string[] = [];
    const strict = mode === 'strict';
    const rewardOf = (step: StepResult) => (strict ? (step.strictReward ?? step.reward) : step.reward);

    for (let turn = 1; turn <= protocol.maxTurns; turn++) {
      if (signal?.aborted) return yield done('interrupted');
      let halt: string | undefined;
      try {
        halt = await protocol.halts?.(transcriptOf(record));
      } catch (e) {
        yield note({ type: 'error', turn, kind: 'context', message: message(e) });
        return yield done('error');
      }
      if (halt) {
        yield note({ type: 'error', turn, kind: 'context', message: halt });
        return yield done('context-full');
      }
      const tail: ChatMessage[] =
        turn === protocol.maxTurns && protocol.lastTurnMessage ? [{ role: 'user', content: protocol.lastTurnMessage }] : [];
      const fitted = await budget.fit({ prefix, pairs: pairsOf(record), tail });
      const opening = protocol.assistantPrefix?.(turn) ?? '';
      // The opening's count includes a BOS it does not add: a token of slack.
      const openingTokens = opening ? await engine.countTokens(opening) : 0;
      const maxNewTokens = Math.min(sampling.maxNewTokens, contextLength - fitted.promptTokens - openingTokens);
      // Room is short when the context, not the caller's own max_new_tokens, leaves fewer than MIN_NEW_TOKENS.
      if (maxNewTokens < Math.min(MIN_NEW_TOKENS, sampling.maxNewTokens)) {
        yield note({
          type: 'error',
          turn,
          kind: 'context',
          message: `the prompt needs ${fitted.promptTokens} of ${contextLength} tokens even with every cut, leaving no room to generate`,
        });
        return yield done('context-full');
      }
      yield note({
        type: 'turn-start',
        turn,
        promptTokens: fitted.promptTokens,
        maxNewTokens,
        truncatedObservations: fitted.truncated.length,
        droppedPairs: fitted.dropped,
        cut: fitted.cut,
      });

      const request: GenerateRequest = {
        prompt: fitted.prompt + opening,
        maxNewTokens,
        temperature: sampling.temperature,
        topP: sampling.topP,
        stop: protocol.stop,
        seed: sampling.seed,
      };
      let result: GenerateResult;
      let settled = false;
      const generationStarted = performance.now();
      try {
        const stream = streamGeneration(engine, request);
        for (;;) {
          const next = await stream.next();
          if (next.done) {
            settled = true;
            result = next.value;
            break;
          }
          const t = next.value;
          yield { type: 'token', turn, text: t.text, tokens: t.tokens, tokensPerSecond: t.tokensPerSecond };
        }
      } catch (e) {
        settled = true;
        if (signal?.aborted) return yield done('interrupted');
        yield note({ type: 'error', turn, kind: 'engine', message: message(e) });
        return yield done('error');
      } finally {
        // The consumer stopped iterating mid-generation: do not leave the engine running.
        if (!settled) void engine.interrupt();
      }
      steps = turn;
      if (signal?.aborted || result.stopReason === 'interrupted') {
        if (result.text) yield note({ type: 'stopped', turn, text: result.text, tokens: result.tokens });
        return yield done('interrupted');
      }

      // `raw` is what the engine wrote; `text` the turn as it goes into the history (with the harness's opening).
      const stripped = opening + stripStop(result.text, protocol.stop ?? []);
      const text = protocol.historyText ? protocol.historyText(stripped) : stripped;
      outputs.push(text);
      yield note({
        type: 'reply',
        turn,
        raw: result.text,
        text,
        tokens: result.tokens,
        stopReason: result.stopReason,
        timings: result.timings,
        ms: performance.now() - generationStarted,
      });
      const parsed = protocol.parse(text, { tools, mode, turn });
      if (parsed.thought) yield note({ type: 'thought', turn, text: parsed.thought });
      if (!parsed.ok && strict && parsed.endsEpisode) {
        yield note({ type: 'error', turn, kind: 'parse', message: parsed.error });
        if (!parsed.submit) return yield done('format-error');
        try {
          return yield done('format-error', rewardOf(await env.step(parsed.submit)));
        } catch (e) {
          yield note({ type: 'error', turn, kind: 'env', message: message(e) });
          return yield done('error');
        }
      }
      if (!parsed.ok) {
        recent.length = 0;
        yield note({ type: 'error', turn, kind: 'parse', message: parsed.error });
        // Every observation reaches the prompt (through the record's pairs) unable to forge a turn (template.ts).
        yield note({ type: 'observation', turn, text: neutraliseTurnMarkers(parsed.observation), source: 'parse-error' });
        continue;
      }

      const { action } = parsed;
      yield note({ type: 'action', turn, action });
      recent.push(actionKey(action));
      if (!strict && action.type === 'tool' && recent.length >= REPEAT_LIMIT && recent.slice(-REPEAT_LIMIT).every((k) => k === recent.at(-1))) {
        return yield done('repeated-action');
      }

      let step;
      const stepStarted = performance.now();
      try {
        step = await env.step(action);
      } catch (e) {
        yield note({ type: 'error', turn, kind: 'env', message: message(e) });
        return yield done('error');
      }
      const observation = neutraliseTurnMarkers(protocol.formatObservation(step.observation, turn));
      yield note({
        type: 'observation',
        turn,
        text: observation,
        raw: step.observation,
        source: 'env',
        reward: rewardOf(step),
        done: step.done,
        ms: performance.now() - stepStarted,
      });
      if (strict && protocol.endsOnRepeat?.(outputs)) return yield done('repeated-action');
      // An answer the environment does not accept (AgentBench KG's "Invalid variable id!") comes back
      // with done=false: the model reads why and goes on.
      if (!step.done) continue;
      if (action.type === 'final') {
        yield note({ type: 'final', turn, answer: action.answer });
        return yield done('final', rewardOf(step));
      }
      return yield done(action.type === 'finish' ? 'finish' : 'env-done', rewardOf(step));
    }
    if (strict && protocol.exhaustedAction) {
      try {
        return yield done('max-turns', rewardOf(await env.step(protocol.exhaustedAction)));
      } catch (e) {
        yield note({ type: 'error', turn: steps, kind: 'env', message: message(e) });
        return yield done('error');
      }
    }
    yield done('max-turns');
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The generation's token callbacks as an async iterator; returns the final result. */
async function* streamGeneration(engine: Engine, request: GenerateRequest): AsyncGenerator<TokenEvent, GenerateResult> {
  const queue: TokenEvent[] = [];
  let wake: (() => void) | undefined;
  let settled = false;
  let result: GenerateResult | undefined;
  let failure: unknown;
  engine
    .generate(request, (e) => {
      queue.push(e);
      wake?.();
    })
    .then(
      (r) => (result = r),
      (e) => (failure = e ?? new Error('generation failed')),
    )
    .finally(() => {
      settled = true;
      wake?.();
    });
  for (;;) {
    if (queue.length > 0) {
      yield queue.shift()!;
      continue;
    }
    if (settled) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  if (failure !== undefined) throw failure;
  return result!;
}

/**
 * The text as it goes into the history: without a stop string the engine may have left at the end
 * (the model began inventing the next observation) or a trailing end-of-turn mark.
 */
function stripStop(text: string, stops: string[]): string {
  let out = text.endsWith(ASSISTANT_CLOSE) ? text.slice(0, -ASSISTANT_CLOSE.length) : text;
  for (const s of stops) {
    if (s && out.endsWith(s)) out = out.slice(0, -s.length);
  }
  return out;
}

function actionKey(action: Action): string {
  return JSON.stringify(action);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
