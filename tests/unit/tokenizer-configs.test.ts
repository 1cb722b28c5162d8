/**
 * tokenizer_config.json and generation_config.json as the model builder writes them, checked against the files
 * Python `transformers` wrote for the tiny Llama-2 reference checkpoint and against what transformers.js reads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  generationConfigJson,
  sentencepieceToTokenizerJson,
  tokenizerConfigJson,
} from '../../scripts/convert/tokenizer.ts';
import { AGENT_FLAN_CHAT_TEMPLATE } from '../../src/lib/agent/chat-template.ts';
import { TINY_LLAMA_DIR } from '../../scripts/convert/fixture-models.ts';
import { llamaTokenizerModel, loadSentencePiece, loadTransformersTokenizer } from './support/llama-tokenizers.ts';

const fixtureFile = (name: string) =>
  JSON.parse(readFileSync(join(TINY_LLAMA_DIR, name), 'utf8'));

describe('tokenizerConfigJson', () => {
  test('agrees with the tokenizer_config.json Python transformers wrote for Llama-2', () => {
    expect(tokenizerConfigJson({ chatTemplate: null, modelMaxLength: 4096 })).toMatchObject(
      fixtureFile('tokenizer_config.json'),
    );
  });

  test('carries the chat template only when given', () => {
    expect(tokenizerConfigJson({ chatTemplate: null, modelMaxLength: 4096 })).not.toHaveProperty('chat_template');
    expect(tokenizerConfigJson({ chatTemplate: AGENT_FLAN_CHAT_TEMPLATE, modelMaxLength: 2048 })).toMatchObject({
      chat_template: AGENT_FLAN_CHAT_TEMPLATE,
      model_max_length: 2048,
    });
  });

  test('transformers.js reads the class, special tokens, template and length from it', async () => {
    const tokenizer = await loadTransformersTokenizer(
      sentencepieceToTokenizerJson(llamaTokenizerModel()),
      tokenizerConfigJson({ chatTemplate: AGENT_FLAN_CHAT_TEMPLATE, modelMaxLength: 4096 }),
    );
    expect(tokenizer.constructor.name).toBe('LlamaTokenizer');
    expect(tokenizer.chat_template).toBe(AGENT_FLAN_CHAT_TEMPLATE);
    expect(tokenizer.model_max_length).toBe(4096);
    expect([tokenizer.bos_token_id, tokenizer.eos_token_id, tokenizer.unk_token_id]).toEqual([1, 2, 0]);
    expect(tokenizer.add_bos_token).toBe(true);
    expect(tokenizer.add_eos_token).toBe(false);
  });
});

describe('generationConfigJson', () => {
  test('plain Llama-2 equals the generation_config.json Python transformers wrote', () => {
    expect(generationConfigJson({ agentFlan: false })).toEqual(fixtureFile('generation_config.json'));
  });

  test('Agent-FLAN also stops on U+0D3F, which sentencepiece encodes as 30387', async () => {
    const config = generationConfigJson({ agentFlan: true });
    expect(config).toEqual({ bos_token_id: 1, eos_token_id: [2, 30387], pad_token_id: 0 });
    const sp = await loadSentencePiece(llamaTokenizerModel());
    expect(sp.encode('Final Answer: 42\u0D3F').at(-1)).toBe(30387);
  });
});
