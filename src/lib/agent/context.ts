/**
 * The context budget: keeps the rendered prompt plus the generation budget inside the model's
 * context. The conversation is a fixed prefix (system prompt, in-context examples, task message),
 * which is never cut, followed by action/observation pairs.
 *
 * When the prompt is over budget, in this order:
 *   1. truncate older observations, longest first, to a short head plus a marker;
 *   2. drop the oldest pairs, leaving one marker turn that says how many were dropped;
 *   3. as a last resort, truncate the latest observation too.
 * Decisions are sticky: once an observation is cut or a pair dropped, every later prompt cuts it
 * the same way, so the text the engine cached stays a prefix of the next prompt except at the
 * turn where a new cut is made. A new cut aims `headroom` tokens below the budget, so the next
 * few turns fit without cutting again.
 */
import { renderPrompt, type ChatMessage } from './template';

export interface Pair {
  /** The assistant turn as generated. */
  assistant: string;
  /** The user turn that answered it: a formatted observation or a parse-error message. */
  observation: string;
}

/** A chat's opening message: a user turn with no assistant turn before it. */
export interface Opening {
  assistant?: undefined;
  observation: string;
}

export interface Conversation {
  /** System prompt, examples and task message: never cut. */
  prefix: ChatMessage[];
  pairs: (Pair | Opening)[];
  /** Turns after the pairs for this prompt only (e.g. lagent's force-stop message); never cut. */
  tail?: ChatMessage[];
}

export interface ContextBudgetOptions {
  /** Async token counter for prompt text, BOS included (e.g. `engine.countTokens`). */
  countTokens: (text: string) => Promise<number>;
  contextLength: number;
  maxNewTokens: number;
  /**
   * How far below the budget a new cut aims, so that the next turns fit without another cut (each
   * cut makes the engine prefill again from the cut on). Default: 1/8 of the context.
   */
  headroom?: number;
  /** Characters an observation keeps when truncated. Default 300. */
  truncatedChars?: number;
  /** The user turn that stands for the pairs left out. Default `droppedMarker` (episodes' wording). */
  marker?: (count: number) => string;
}

export interface FittedPrompt {
  messages: ChatMessage[];
  /** `renderPrompt(messages)`, ending with the assistant begin marker. */
  prompt: string;
  promptTokens: number;
  /** Indices (into `pairs`) of observations shown truncated. */
  truncated: number[];
  /** Number of oldest pairs left out. */
  dropped: number;
  /** True when this call made a new cut (the engine's cache is reusable only up to that cut). */
  cut: boolean;
  /** True when even with every cut the prompt exceeds `contextLength - maxNewTokens`. */
  overBudget: boolean;
}

export const TRUNCATION_MARKER = '\n[... truncated to fit the context]';

export function droppedMarker(count: number): string {
  return `[${count} earlier action/observation ${count === 1 ? 'pair was' : 'pairs were'} left out to fit the context.]`;
}

interface Decisions {
  truncated: Set<number>;
  dropped: number;
}

export class ContextBudget {
  private readonly countTokens: (text: string) => Promise<number>;
  private readonly target: number;
  private readonly goal: number;
  private readonly keepChars: number;
  private readonly marker: (count: number) => string;
  private truncated = new Set<number>();
  private dropped = 0;

  constructor(options: ContextBudgetOptions) {
    this.countTokens = options.countTokens;
    this.target = options.contextLength - options.maxNewTokens;
    this.goal = this.target - (options.headroom ?? Math.floor(options.contextLength / 8));
    this.keepChars = options.truncatedChars ?? 300;
    this.marker = options.marker ?? droppedMarker;
  }

  async fit(conversation: Conversation): Promise<FittedPrompt> {
    const { pairs } = conversation;
    const sticky: Decisions = { truncated: this.truncated, dropped: Math.min(this.dropped, Math.max(0, pairs.length - 1)) };
    const first = await this.measure(conversation, sticky);
    if (first.tokens <= this.target) return this.result(first, sticky, false);

    const last = pairs.length - 1;
    let decisions = sticky;
    let best = first;

    // 1. Older observations, longest first (ties: older first).
    const candidates = pairs
      .map((p, i) => ({ i, len: p.observation.length }))
      .filter(({ i, len }) => i < last && i >= sticky.dropped && !sticky.truncated.has(i) && len > this.keepChars)
      .sort((a, b) => b.len - a.len || a.i - b.i)
      .map(({ i }) => i);
    const withTruncations = (n: number): Decisions => ({
      truncated: new Set([...sticky.truncated, ...candidates.slice(0, n)]),
      dropped: sticky.dropped,
    });
    ({ decisions, best } = await this.smallest(conversation, candidates.length, withTruncations, decisions, best));

    // 2. Oldest pairs, keeping the latest: only when truncation alone cannot fit the budget.
    if (best.tokens > this.target && decisions.dropped < last) {
      const base = decisions;
      const withDrops = (n: number): Decisions => ({ truncated: base.truncated, dropped: base.dropped + n });
      ({ decisions, best } = await this.smallest(conversation, last - base.dropped, withDrops, decisions, best));
    }

    // 3. The latest observation.
    if (best.tokens > this.target && last >= 0 && !decisions.truncated.has(last)) {
      const all: Decisions = { truncated: new Set([...decisions.truncated, last]), dropped: decisions.dropped };
      const measured = await this.measure(conversation, all);
      if (measured.tokens < best.tokens) {
        decisions = all;
        best = measured;
      }
    }

    this.truncated = decisions.truncated;
    this.dropped = decisions.dropped;
    return this.result(best, decisions, true);
  }

  /**
   * The smallest n in 1..max whose decisions bring the prompt under the goal (binary search: more
   * cuts never make a prompt longer), or max when none does.
   */
  private async smallest(
    conversation: Conversation,
    max: number,
    apply: (n: number) => Decisions,
    current: Decisions,
    currentBest: Measured,
  ): Promise<{ decisions: Decisions; best: Measured }> {
    if (max <= 0 || currentBest.tokens <= this.goal) return { decisions: current, best: currentBest };
    const cache = new Map<number, Measured>();
    const at = async (n: number) => {
      if (!cache.has(n)) cache.set(n, await this.measure(conversation, apply(n)));
      return cache.get(n)!;
    };
    let lo = 1;
    let hi = max;
    if ((await at(hi)).tokens > this.goal) return { decisions: apply(hi), best: await at(hi) };
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((await at(mid)).tokens <= this.goal) hi = mid;
      else lo = mid + 1;
    }
    return { decisions: apply(lo), best: await at(lo) };
  }

  private async measure(conversation: Conversation, d: Decisions): Promise<Measured> {
    const messages = render(conversation, d, this.keepChars, this.marker);
    const prompt = renderPrompt(messages);
    return { messages, prompt, tokens: await this.countTokens(prompt) };
  }

  private result(m: Measured, d: Decisions, cut: boolean): FittedPrompt {
    return {
      messages: m.messages,
      prompt: m.prompt,
      promptTokens: m.tokens,
      truncated: [...d.truncated].filter((i) => i >= d.dropped).sort((a, b) => a - b),
      dropped: d.dropped,
      cut,
      overBudget: m.tokens > this.target,
    };
  }
}

interface Measured {
  messages: ChatMessage[];
  prompt: string;
  tokens: number;
}

function render(conversation: Conversation, d: Decisions, keepChars: number, marker: (count: number) => string): ChatMessage[] {
  const messages = [...conversation.prefix];
  if (d.dropped > 0) messages.push({ role: 'user', content: marker(d.dropped) });
  conversation.pairs.forEach((pair, i) => {
    if (i < d.dropped) return;
    const observation =
      d.truncated.has(i) && pair.observation.length > keepChars
        ? pair.observation.slice(0, keepChars) + TRUNCATION_MARKER
        : pair.observation;
    if (pair.assistant !== undefined) messages.push({ role: 'assistant', content: pair.assistant });
    messages.push({ role: 'user', content: observation });
  });
  return [...messages, ...(conversation.tail ?? [])];
}
