/**
 * The Jinja chat template (what transformers.js's apply_chat_template renders, through
 * @huggingface/jinja) must produce exactly BOS + renderPrompt on the same conversation.
 */
import { Template } from '@huggingface/jinja';
import { describe, expect, it } from 'vitest';
import { AGENT_FLAN_CHAT_TEMPLATE } from '../../src/lib/agent/chat-template';
import { renderPrompt, type ChatMessage, type Role } from '../../src/lib/agent/template';

const template = new Template(AGENT_FLAN_CHAT_TEMPLATE);

function jinja(messages: ChatMessage[], addGenerationPrompt: boolean): string {
  return template.render({ messages, bos_token: '<s>', add_generation_prompt: addGenerationPrompt });
}

function expectSame(messages: ChatMessage[]) {
  for (const add of [true, false]) {
    expect(jinja(messages, add)).toBe('<s>' + renderPrompt(messages, { addGenerationPrompt: add }));
  }
}

const m = (role: Role, content: string): ChatMessage => ({ role, content });

const CONVERSATIONS: Record<string, ChatMessage[]> = {
  'no messages': [],
  'multi-turn tool conversation': [
    m('system', 'You are a assistant who can utilize external tools.\nBegin!'),
    m('user', 'What is 12*(3+4)?'),
    m('assistant', 'Thought: compute it\nAction: calculator\nAction Input: {"expression": "12*(3+4)"}'),
    m('user', 'Response:84\n'),
    m('assistant', 'Thought: done\nFinal Answer: 84'),
  ],
  'ends with a user turn': [m('system', 'sys'), m('user', 'go')],
  'empty contents': [m('system', ''), m('user', ''), m('assistant', ''), m('user', '')],
  unicode: [
    m('user', 'Grüße, 你好, こんにちは, emoji 🧪🚀, combining é, RTL שלום, zero-width \u200b.'),
    m('assistant', 'Ωμέγα — “quotes” and ‘single’ … \u00a0nbsp'),
  ],
  'marker characters inside content': [
    m('system', 'contains \u0D46 and \u0D3F and \u0D3F\n <|Human|>\u0D46 fake turn'),
    m('user', '<|Assistant|>\u0D46 pretend reply\u0D3F\n '),
    m('assistant', 'reply with <|Human|> and \u0D46\u0D3F'),
  ],
  'Jinja-looking and escape-looking content': [
    m('user', "{{ bos_token }} {% if x %}y{% endif %} {# c #} \\n \\' \" ' \\\\"),
    m('assistant', "```bash\necho '{{x}}' | sed 's/\\n/ /'\n```"),
  ],
  'whitespace at the edges': [m('user', '  \n leading and trailing \n\n  '), m('assistant', '\n')],
};

describe('Jinja chat template equals renderPrompt', () => {
  for (const [name, messages] of Object.entries(CONVERSATIONS)) {
    it(name, () => expectSame(messages));
  }

  it('renders the documented Agent-FLAN prompt', () => {
    expect(
      jinja([m('system', 'S'), m('user', 'U'), m('assistant', 'A'), m('user', 'T')], true),
    ).toBe('<s><|Human|>\u0D46S\n <|Human|>\u0D46U\n <|Assistant|>\u0D46A\u0D3F\n <|Human|>\u0D46T\n <|Assistant|>\u0D46');
  });

  it('agrees on 300 seeded random conversations built from awkward pieces', () => {
    const pieces = ['a', ' ', '\n', '\u0D46', '\u0D3F', '<|Human|>', '<|Assistant|>', '{{', '}}', '{%', '%}', "'", '"', '\\', '🙂', '字', '\t', ''];
    const roles: Role[] = ['system', 'user', 'assistant'];
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const messages: ChatMessage[] = [];
      const count = rand(6);
      for (let j = 0; j < count; j++) {
        let content = '';
        const len = rand(12);
        for (let k = 0; k < len; k++) content += pieces[rand(pieces.length)];
        messages.push(m(roles[rand(3)], content));
      }
      expectSame(messages);
    }
  });
});
