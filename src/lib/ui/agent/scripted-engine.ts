/**
 * An `Engine` that "generates" a fixed list of assistant turns, streamed a few characters at a time:
 * how an expert trajectory is replayed through the real agent loop, protocol parser and sandboxed
 * environment with no model loaded.
 */
import type { Engine, GenerateRequest, GenerateResult, LoadReport, TokenEvent } from '../../engine/types';
import { ASSISTANT_BEGIN } from '../../agent/template';

export interface ScriptedEngineOptions {
  /** Streaming pace; Infinity streams each turn in one event. */
  charsPerSecond?: number;
}

const TICK_MS = 30;

export class ScriptedEngine implements Engine {
  private next = 0;
  private interrupted = false;
  private readonly charsPerSecond: number;

  constructor(
    private readonly turns: readonly string[],
    options: ScriptedEngineOptions = {},
  ) {
    this.charsPerSecond = options.charsPerSecond ?? 600;
  }

  async load(): Promise<LoadReport> {
    throw new Error('A scripted replay needs no model: there is nothing to load.');
  }

  async generate(request: GenerateRequest, onToken?: (e: TokenEvent) => void): Promise<GenerateResult> {
    if (this.next >= this.turns.length) {
      throw new Error(`The expert trajectory has only ${this.turns.length} turns and the episode asked for another.`);
    }
    // The prompt may end with the start of the turn, written by the harness (HotpotQA's "Thought n:"); an engine
    // continues the prompt, so the whole expert turn is replayed without it.
    const opening = request.prompt.slice(request.prompt.lastIndexOf(ASSISTANT_BEGIN) + ASSISTANT_BEGIN.length);
    const turn = this.turns[this.next++];
    const full = opening && turn.startsWith(opening) ? turn.slice(opening.length) : turn;
    this.interrupted = false;
    const started = performance.now();
    const chunk = Number.isFinite(this.charsPerSecond) ? Math.max(1, Math.round((this.charsPerSecond * TICK_MS) / 1000)) : full.length;
    let shown = 0;
    let events = 0;
    while (shown < full.length) {
      if (this.interrupted) break;
      shown = Math.min(full.length, shown + chunk);
      events++;
      const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
      onToken?.({ text: full.slice(0, shown), tokens: events, tokensPerSecond: events / seconds });
      if (shown < full.length) await new Promise((r) => setTimeout(r, TICK_MS));
    }
    const text = full.slice(0, shown);
    const promptTokens = await this.countTokens(request.prompt);
    return {
      text,
      tokens: events,
      stopReason: this.interrupted ? 'interrupted' : 'eos',
      timings: { promptTokens, reusedTokens: 0, prefillMs: 0, ttftMs: 0, decodeTokensPerSecond: events / Math.max((performance.now() - started) / 1000, 1e-3) },
    };
  }

  async interrupt(): Promise<void> {
    this.interrupted = true;
  }

  async reset(): Promise<void> {}

  /** A rough estimate (no tokenizer): the replay ignores the prompt, and the budget only needs an order of size. */
  async countTokens(text: string): Promise<number> {
    return Math.ceil(text.length / 4) + 1;
  }

  async unload(): Promise<void> {}
}
