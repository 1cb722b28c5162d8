import { describe, expect, test } from 'vitest';
import { ContextBudget } from '../../src/lib/agent/context';
import { chatConversation, chatMarker } from '../../src/lib/agent/chat-context';
import { renderPrompt, type ChatMessage } from '../../src/lib/agent/template';

// One token per 4 characters: enough to exercise the budget without a tokenizer.
const countTokens = async (text: string) => Math.ceil(text.length / 4);
const long = (i: number) => `reply ${i} `.repeat(500);

describe('chat on the context budget', () => {
  test('a short conversation is sent whole, as rendered', async () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'How are you?' },
    ];
    const budget = new ContextBudget({ countTokens, contextLength: 4096, maxNewTokens: 1024, marker: chatMarker });
    const fitted = await budget.fit(chatConversation(messages));
    expect(fitted.prompt).toBe(renderPrompt(messages));
    expect(fitted.dropped).toBe(0);
  });

  test('after long replies the oldest exchanges are left out with a marker; the new message is kept whole', async () => {
    const messages: ChatMessage[] = [];
    for (let i = 0; i < 4; i++) messages.push({ role: 'user', content: `question ${i}` }, { role: 'assistant', content: long(i) });
    messages.push({ role: 'user', content: 'the fifth question' });
    expect(await countTokens(renderPrompt(messages))).toBeGreaterThan(4096 - 1024);
    const budget = new ContextBudget({ countTokens, contextLength: 4096, maxNewTokens: 1024, marker: chatMarker });
    const fitted = await budget.fit(chatConversation(messages));
    expect(fitted.overBudget).toBe(false);
    expect(fitted.promptTokens).toBeLessThanOrEqual(4096 - 1024);
    expect(fitted.dropped).toBeGreaterThan(0);
    expect(fitted.messages[0]).toEqual({ role: 'user', content: chatMarker(fitted.dropped) });
    expect(fitted.messages.at(-1)).toEqual({ role: 'user', content: 'the fifth question' });
    expect(fitted.prompt).toContain(long(3));
    expect(fitted.prompt).not.toContain('question 0');
  });

  test('a message with no reply before it (a stopped empty reply) is an opening turn, not an empty assistant turn', () => {
    const c = chatConversation([
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
    ]);
    expect(c.pairs).toEqual([{ observation: 'a' }, { observation: 'b' }]);
  });
});
