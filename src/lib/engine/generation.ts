/**
 * What every engine's generation loop shares (the browser's decode session, the Node engine, the remote engines):
 * the context check before a prompt runs, stop strings cut from the text as it grows, the streamed token event
 * and the timings of the result.
 */
import { EngineError } from './errors';
import { findStop, visibleLength } from './stop-strings';
import type { GenerateTimings, TokenEvent } from './types';

/** Throws `context-overflow` when the prompt and the new tokens asked for do not fit the model's context. */
export function checkContext(promptTokens: number, maxNewTokens: number, contextLength: number): void {
  if (promptTokens + maxNewTokens <= contextLength) return;
  throw new EngineError(
    'context-overflow',
    `The prompt has ${promptTokens} tokens and up to ${maxNewTokens} new tokens were asked for: ${promptTokens + maxNewTokens} > the model's context of ${contextLength}. Shorten the conversation or ask for fewer new tokens.`,
    { promptTokens, maxNewTokens, contextLength },
  );
}

/** The text before the earliest stop string, or null while none has appeared. */
export function cutAtStop(text: string, stops: readonly string[]): string | null {
  const at = findStop(text, stops);
  return at >= 0 ? text.slice(0, at) : null;
}

/** The event streamed after each token: the text safe to show (a tail that may grow into a stop is held back). */
export function tokenEvent(text: string, stops: readonly string[], tokens: number, decodeSeconds: number): TokenEvent {
  return { text: text.slice(0, visibleLength(text, stops)), tokens, tokensPerSecond: decodeRate(tokens, decodeSeconds) };
}

/** Tokens per second after the first (the first token's time is the prefill's). */
function decodeRate(tokens: number, decodeSeconds: number): number {
  return decodeSeconds > 0 && tokens > 1 ? (tokens - 1) / decodeSeconds : 0;
}

export function generationTimings(prompt: Omit<GenerateTimings, 'decodeTokensPerSecond'>, tokens: number, decodeSeconds: number): GenerateTimings {
  return { ...prompt, decodeTokensPerSecond: decodeRate(tokens, decodeSeconds) };
}
