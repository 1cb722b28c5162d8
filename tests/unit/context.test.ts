import { describe, expect, it } from 'vitest';
import { ContextBudget, TRUNCATION_MARKER, droppedMarker, type Conversation, type Pair } from '../../src/lib/agent/context';
import { renderPrompt, type ChatMessage } from '../../src/lib/agent/template';

/** Deterministic stand-in for a tokenizer: one token per 4 characters, plus BOS. */
const countTokens = async (text: string) => Math.ceil(text.length / 4) + 1;
const tokens = (messages: ChatMessage[]) => Math.ceil(renderPrompt(messages).length / 4) + 1;

const PREFIX: ChatMessage[] = [
  { role: 'system', content: 'SYSTEM PROMPT '.repeat(10) },
  { role: 'assistant', content: 'Ok.' },
  { role: 'user', content: 'THE TASK '.repeat(5) },
];

const obs = (i: number, len: number) => `O${i}:` + 'x'.repeat(Math.max(0, len - `O${i}:`.length));
const pair = (i: number, len: number): Pair => ({ assistant: `Thought: step ${i}\nAction: do ${i}`, observation: obs(i, len) });
const conv = (lens: number[]): Conversation => ({ prefix: PREFIX, pairs: lens.map((l, i) => pair(i, l)) });

function plain(c: Conversation): ChatMessage[] {
  return [...c.prefix, ...c.pairs.flatMap((p): ChatMessage[] => [{ role: 'assistant', content: p.assistant ?? '' }, { role: 'user', content: p.observation }])];
}

/** A budget whose target (context - max new tokens) is `target` tokens. */
function budget(target: number, extra: { headroom?: number; truncatedChars?: number } = {}) {
  return new ContextBudget({ countTokens, contextLength: target + 100, maxNewTokens: 100, headroom: 0, truncatedChars: 50, ...extra });
}

describe('ContextBudget', () => {
  it('leaves a conversation that fits untouched', async () => {
    const c = conv([100, 200, 300]);
    const fitted = await budget(tokens(plain(c))).fit(c);
    expect(fitted.messages).toEqual(plain(c));
    expect(fitted.prompt).toBe(renderPrompt(plain(c)));
    expect(fitted).toMatchObject({ truncated: [], dropped: 0, cut: false, overBudget: false });
    expect(fitted.promptTokens).toBe(tokens(plain(c)));
  });

  it('truncates the longest older observation first and keeps the latest whole', async () => {
    const c = conv([200, 900, 300, 900]);
    // 100 tokens over: cutting observation 1 (900 -> 50 chars) saves about 200.
    const fitted = await budget(tokens(plain(c)) - 100).fit(c);
    expect(fitted.truncated).toEqual([1]);
    expect(fitted.dropped).toBe(0);
    expect(fitted.cut).toBe(true);
    const users = fitted.messages.filter((m) => m.role === 'user').map((m) => m.content);
    expect(users).toEqual([PREFIX[2].content, obs(0, 200), obs(1, 900).slice(0, 50) + TRUNCATION_MARKER, obs(2, 300), obs(3, 900)]);
    expect(fitted.promptTokens).toBeLessThanOrEqual(tokens(plain(c)) - 100);
  });

  it('breaks ties between equally long observations by cutting the older one', async () => {
    const c = conv([800, 800, 100]);
    const fitted = await budget(tokens(plain(c)) - 50).fit(c);
    expect(fitted.truncated).toEqual([0]);
  });

  it('truncates as many observations as needed, longest first', async () => {
    const c = conv([400, 1200, 800, 100, 600]);
    // Cutting 1 saves ~287 tokens, 1+2 ~474: ask for 400.
    const fitted = await budget(tokens(plain(c)) - 400).fit(c);
    expect(fitted.truncated).toEqual([1, 2]);
    expect(fitted.dropped).toBe(0);
  });

  it('drops the oldest pairs when truncation is not enough, leaving a marker, never the prefix', async () => {
    const c = conv([300, 300, 300, 300, 300, 300]);
    const target = tokens(PREFIX) + 150;
    const fitted = await budget(target).fit(c);
    expect(fitted.dropped).toBeGreaterThan(0);
    expect(fitted.overBudget).toBe(false);
    expect(fitted.promptTokens).toBeLessThanOrEqual(target);
    expect(fitted.messages.slice(0, 3)).toEqual(PREFIX);
    expect(fitted.messages[3]).toEqual({ role: 'user', content: droppedMarker(fitted.dropped) });
    // What follows the marker is the remaining pairs in order, the latest whole.
    const rest = fitted.messages.slice(4);
    expect(rest.length).toBe(2 * (6 - fitted.dropped));
    expect(rest.at(-1)).toEqual({ role: 'user', content: obs(5, 300) });
    expect(rest[0]).toEqual({ role: 'assistant', content: c.pairs[fitted.dropped].assistant });
    // Minimal: keeping one more pair (as the budget would render it) does not fit.
    const oneMore: ChatMessage[] = [...PREFIX, { role: 'user', content: droppedMarker(fitted.dropped - 1) }];
    c.pairs.slice(fitted.dropped - 1).forEach((p, k) => {
      const i = k + fitted.dropped - 1;
      const o = fitted.truncated.includes(i) || i < fitted.dropped ? p.observation.slice(0, 50) + TRUNCATION_MARKER : p.observation;
      oneMore.push({ role: 'assistant', content: p.assistant ?? '' }, { role: 'user', content: i === 5 ? p.observation : o });
    });
    expect(tokens(oneMore)).toBeGreaterThan(target);
  });

  it('truncates the latest observation only as a last resort', async () => {
    const c = conv([4000]);
    const fitted = await budget(tokens(PREFIX) + 100).fit(c);
    expect(fitted.truncated).toEqual([0]);
    expect(fitted.dropped).toBe(0);
    expect(fitted.messages.at(-1)).toEqual({ role: 'user', content: obs(0, 4000).slice(0, 50) + TRUNCATION_MARKER });
    expect(fitted.overBudget).toBe(false);
  });

  it('reports overBudget, and keeps the prefix whole, when the prefix alone does not fit', async () => {
    const c = conv([100]);
    const fitted = await budget(20).fit(c);
    expect(fitted.overBudget).toBe(true);
    expect(fitted.messages.slice(0, 3)).toEqual(PREFIX);
  });

  it('keeps a cut in later turns, so the previous prompt stays a prefix', async () => {
    const before = conv([200, 900, 300, 900]);
    // 100 tokens over: cutting observation 1 saves ~200, which leaves room for a short pair.
    const b = budget(tokens(plain(before)) - 100);
    const first = await b.fit(before);
    expect(first.truncated).toEqual([1]);
    const second = await b.fit(conv([200, 900, 300, 900, 40]));
    expect(second.cut).toBe(false);
    expect(second.truncated).toEqual([1]);
    expect(second.prompt.startsWith(first.prompt)).toBe(true);
  });

  it('over a long episode, every prompt fits, uncut turns extend the previous prompt, and cuts are rare', async () => {
    const lens: number[] = [];
    let seed = 7;
    const prompts: string[] = [];
    const b = new ContextBudget({ countTokens, contextLength: 4096, maxNewTokens: 1024 });
    let cuts = 0;
    const turns = 40;
    for (let turn = 0; turn < turns; turn++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      lens.push(50 + (seed % 800));
      const fitted = await b.fit(conv(lens));
      expect(fitted.overBudget).toBe(false);
      expect(fitted.promptTokens).toBeLessThanOrEqual(4096 - 1024);
      expect(fitted.messages.slice(0, 3)).toEqual(PREFIX);
      expect(fitted.messages.at(-1)).toEqual({ role: 'user', content: obs(turn, lens[turn]) });
      if (fitted.cut) cuts++;
      else if (prompts.length > 0) expect(fitted.prompt.startsWith(prompts.at(-1)!)).toBe(true);
      prompts.push(fitted.prompt);
    }
    // The episode outgrows the context (so cuts happen), but a cut buys room for several turns.
    expect(cuts).toBeGreaterThan(0);
    expect(cuts).toBeLessThanOrEqual(turns / 3);
  });

  it('is deterministic', async () => {
    const run = async () => {
      const b = new ContextBudget({ countTokens, contextLength: 900, maxNewTokens: 200 });
      const out: string[] = [];
      const lens = [500, 700, 300, 900, 650, 820, 100, 400];
      for (let n = 1; n <= lens.length; n++) out.push((await b.fit(conv(lens.slice(0, n)))).prompt);
      return out;
    };
    expect(await run()).toEqual(await run());
  });
});
