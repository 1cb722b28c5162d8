/**
 * WebShop, byte for byte: every prompt of a scripted episode on our store (a search, a click the page does not
 * offer, a product, then a reply without "Action:") equals what AgentBench's webshop harness sends for the same
 * replies and pages (scripts/golden/shop.py -> tests/fixtures/golden/shop/expected.json), and strict mode ends the
 * episode with reward 0 where the harness does.
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import type { ChatMessage } from '../../src/lib/agent/template';
import { envModule, ShopEnvironment } from '../../src/lib/tasks/shop/index';
import { golden, rendered, runScripted } from './helpers/scripted-run';

const input = golden<{ task: string; replies: string[] }>('shop', 'input');
const expected = golden<{ prompts: { role: string; content: string }[][]; reward: number; format_fail: boolean }>('shop', 'expected');
const task = envModule.tasks.find((t) => t.id === input.task)!;
const asChat = (messages: { role: string; content: string }[]): ChatMessage[] =>
  messages.map((m) => ({ role: m.role === 'agent' ? 'assistant' : 'user', content: m.content }));

describe('WebShop golden episode', () => {
  it("strict: every prompt equals the harness's; the reply with no Action: line ends the episode with reward 0", async () => {
    const run = await runScripted(getProtocol('shop'), new ShopEnvironment(), task, [...input.replies], { mode: 'strict' });
    expect(run.prompts).toEqual(expected.prompts.map((p) => rendered(asChat(p))));
    expect(expected).toMatchObject({ reward: 0, format_fail: true });
    expect(run.done).toMatchObject({ reason: 'format-error', reward: 0, mode: 'strict', steps: expected.prompts.length });
  });

  it('lenient: the same prompts; it reads the last reply\'s click and the expert finishes with reward 1', async () => {
    const rest = envModule.experts[task.id].slice(3);
    const run = await runScripted(getProtocol('shop'), new ShopEnvironment(), task, [...input.replies, ...rest], { mode: 'lenient' });
    expect(run.prompts.slice(0, expected.prompts.length)).toEqual(expected.prompts.map((p) => rendered(asChat(p))));
    expect(run.done).toMatchObject({ reason: 'env-done', reward: 1, mode: 'lenient' });
  });

  it('strict takes the first search/click after "Action:" and a line break, up to the first "]"', () => {
    const shop = getProtocol('shop');
    const strict = (text: string) => shop.parse(text, { mode: 'strict' });
    expect(strict('Thought:\nx\n\naction:  \n  click[6.76 fl oz (pack of 1)] and more]\nAction:\nclick[b]')).toMatchObject({
      ok: true,
      action: { name: 'click', args: '6.76 fl oz (pack of 1)' },
    });
    expect(strict('Action: click[buy now]')).toMatchObject({ ok: false, endsEpisode: true });
    expect(shop.parse('Action: click[buy now]')).toMatchObject({ ok: true, action: { args: 'buy now' } });
  });
});
