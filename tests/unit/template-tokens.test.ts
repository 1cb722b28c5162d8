/**
 * The Agent-FLAN prompt at token level with the real Llama-2 vocabulary: the text `renderPrompt` produces, and the
 * Jinja chat template the model builder writes, must reach the model as the ids sentencepiece gives.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { AGENT_FLAN_CHAT_TEMPLATE } from '../../src/lib/agent/chat-template.ts';
import { renderPrompt, STOP_TOKEN_IDS, type ChatMessage } from '../../src/lib/agent/template.ts';
import { loadLlamaTokenizers, type SentencePieceReference } from './support/llama-tokenizers.ts';

const BOS = 1;
// Id runs from agent-flan.md, checked there with sentencepiece.
const HUMAN_BEGIN_IDS = [529, 29989, 29950, 7889, 29989, 29958, 30840];
const ASSISTANT_BEGIN_IDS = [529, 29989, 7900, 22137, 29989, 29958, 30840];
const CLOSE_THEN_HUMAN_IDS = [29871, 30387, 13, 529, 29989, 29950, 7889, 29989, 29958, 30840];

const TOOL_CONVERSATION: ChatMessage[] = [
  {
    role: 'system',
    content:
      'You are an assistant that can use external tools.\n' +
      'Tools:\n- name: wiki_search\n  description: Search an encyclopedia.\n  parameters: {"query": "string"}\n  required: ["query"]\n' +
      'Answer in the format:\nThought: ...\nAction: <tool name>\nAction Input: {json}\nBegin!',
  },
  { role: 'user', content: 'Which Indian state has Malayalam (മലയാളം) as its official language?' },
  {
    role: 'assistant',
    content: 'Thought: I should search.\nAction: wiki_search\nAction Input: {"query": "Malayalam language"}',
  },
  { role: 'user', content: 'Response:Malayalam is spoken mainly in Kerala, India.\n  Population: ~35 million.' },
  { role: 'assistant', content: 'Thought: The answer is Kerala.\nFinal Answer: Kerala 🌴' },
  { role: 'user', content: 'Thanks!  Now list 3 districts\tin Kerala.' },
];

let tokenizer: PreTrainedTokenizer;
let sp: SentencePieceReference;

beforeAll(async () => {
  ({ sp, tokenizer } = await loadLlamaTokenizers(AGENT_FLAN_CHAT_TEMPLATE));
});

function indexOfRun(ids: number[], run: number[], from = 0): number {
  for (let i = from; i + run.length <= ids.length; i++) {
    if (run.every((id, j) => ids[i + j] === id)) return i;
  }
  return -1;
}

function countRuns(ids: number[], run: number[]): number {
  let n = 0;
  for (let i = indexOfRun(ids, run); i >= 0; i = indexOfRun(ids, run, i + 1)) n++;
  return n;
}

describe('a multi-turn tool conversation', () => {
  test('BOS + renderPrompt through transformers.js equals sentencepiece with BOS', () => {
    const prompt = renderPrompt(TOOL_CONVERSATION);
    const ids = tokenizer.encode(prompt);
    expect(ids).toEqual([BOS, ...sp.encode(prompt)]);
    expect(ids.length).toBeGreaterThan(100);
  });

  test('holds the marker id runs of agent-flan.md where the template puts them', () => {
    const ids = tokenizer.encode(renderPrompt(TOOL_CONVERSATION));
    // Starts with BOS then the first human marker (dummy prefix "▁<" = 529).
    expect(ids.slice(0, 1 + HUMAN_BEGIN_IDS.length)).toEqual([BOS, ...HUMAN_BEGIN_IDS]);
    expect(countRuns(ids, HUMAN_BEGIN_IDS)).toBe(4);
    // Two past assistant turns plus the generation prompt, which ends the prompt.
    expect(countRuns(ids, ASSISTANT_BEGIN_IDS)).toBe(3);
    expect(ids.slice(-ASSISTANT_BEGIN_IDS.length)).toEqual(ASSISTANT_BEGIN_IDS);
    // Inside a prompt U+0D3F follows the reply's last character, so the leading "▁" (29871) of the
    // agent-flan.md run, which comes from the dummy prefix of the run tokenized alone, is not there.
    expect(countRuns(ids, CLOSE_THEN_HUMAN_IDS.slice(1))).toBe(2);
  });

  test('the close-then-human run keeps its leading "▁" where the reply ends in a space or starts the text', () => {
    const ids = tokenizer.encode(renderPrompt([{ role: 'assistant', content: 'done ' }, { role: 'user', content: 'ok' }]));
    expect(indexOfRun(ids, CLOSE_THEN_HUMAN_IDS)).toBeGreaterThan(0);
    expect(tokenizer.encode('\u0D3F\n <|Human|>\u0D46', { add_special_tokens: false })).toEqual(CLOSE_THEN_HUMAN_IDS);
  });

  test('apply_chat_template with the Jinja template gives the same ids', () => {
    const viaTemplate = tokenizer.apply_chat_template(TOOL_CONVERSATION, {
      add_generation_prompt: true,
      tokenize: true,
      return_tensor: false,
      return_dict: false,
    });
    expect(viaTemplate).toEqual([BOS, ...sp.encode(renderPrompt(TOOL_CONVERSATION))]);
  });

  test('apply_chat_template without a generation prompt matches renderPrompt without one', () => {
    const messages = TOOL_CONVERSATION.slice(0, 5);
    const viaTemplate = tokenizer.apply_chat_template(messages, {
      add_generation_prompt: false,
      tokenize: true,
      return_tensor: false,
      return_dict: false,
    });
    expect(viaTemplate).toEqual([BOS, ...sp.encode(renderPrompt(messages, { addGenerationPrompt: false }))]);
  });
});

describe('stop token', () => {
  test('U+0D3F and U+0D46 are never part of a longer piece, so a turn always ends on id 30387', () => {
    const pieces = [...tokenizer.get_vocab().keys()];
    expect(pieces.filter((p) => p.includes('\u0D3F'))).toEqual(['\u0D3F']);
    expect(pieces.filter((p) => p.includes('\u0D46'))).toEqual(['\u0D46']);
    expect(tokenizer.convert_tokens_to_ids(['\u0D3F'])).toEqual([30387]);
    expect(STOP_TOKEN_IDS).toContain(30387);
  });

  test('a reply ending in Malayalam still closes with a separate 30387', () => {
    const text = renderPrompt([{ role: 'assistant', content: 'കേരളം ക' }], { addGenerationPrompt: false });
    const ids = tokenizer.encode(text);
    expect(ids).toEqual([BOS, ...sp.encode(text)]);
    expect(ids).toContain(30387);
  });
});
