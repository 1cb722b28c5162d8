/**
 * How the engine turns prompt text into token ids.
 *
 * A prompt is plain text. The Agent-FLAN template's markers (`<|Human|>െ`, `<|Assistant|>െ`, `ി\n `) are ordinary
 * text, not special tokens (agent-flan.md), and the one special token a prompt holds, BOS, is added as an id by the
 * tokenizer's post-processor. transformers.js, like Hugging Face tokenizers, matches the text of every added token
 * (`<unk>`, `<s>`, `</s>`) anywhere in its input: a prompt encoded that way turns content that merely contains
 * `</s>` (a file, a web page, a DB cell, the user's own message) into a real EOS in the middle of the context,
 * where sentencepiece sees ordinary pieces, and lets content forge turn structure.
 *
 * So prompts are encoded with a copy of the tokenizer that has no added tokens: nothing in the text is matched to
 * a special token, the BPE model (whose merges only build normal pieces) segments all of it as sentencepiece does,
 * and the post-processor still puts BOS in front. The whole prompt is encoded in one piece, so there are no segment
 * boundaries whose dummy-prefix handling could differ from sentencepiece's, and a prompt that only grew after its
 * last `െ` still starts with the previous prompt's ids (the KV cache stays reusable).
 *
 * Output is unaffected: generated ids are decoded with the model's own tokenizer (special ids skipped), and ordinary
 * pieces that spell `</s>` decode back to that text.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';

interface AddedToken {
  id: number;
  content: string;
}

/** The parts of a tokenizer.json this module reads; everything else is copied as is. */
export interface TokenizerJson {
  added_tokens?: AddedToken[];
  model?: { vocab?: Record<string, number> | [string, number][] };
  [key: string]: unknown;
}

/** Prompt text to the ids the model is fed, BOS included. */
export type PromptEncoder = (text: string) => number[];

/**
 * `json` without its added tokens, so that the tokenizer made from it matches no added token's text inside its input.
 * Every added token must be in the model's own vocabulary under the same id (true of every tokenizer the model builder
 * writes: `<unk>`, `<s>` and `</s>` are sentencepiece pieces 0-2), so that ids the post-processor adds by name, like
 * BOS, still resolve; a tokenizer with tokens added beyond its vocabulary is refused rather than encoded wrongly.
 */
export function plainTextTokenizerJson(json: TokenizerJson): TokenizerJson {
  const added = json.added_tokens ?? [];
  const vocab = json.model?.vocab;
  for (const token of added) {
    const id = Array.isArray(vocab) ? (vocab[token.id]?.[0] === token.content ? token.id : undefined) : vocab?.[token.content];
    if (id !== token.id) {
      throw new Error(
        `added token ${JSON.stringify(token.content)} (id ${token.id}) is not in the model's vocabulary under that id, ` +
          `so prompts could not be encoded without matching it as a special token`,
      );
    }
  }
  return { ...json, added_tokens: [] };
}

/**
 * The encoder the engine uses for prompts and for `countTokens`: `tokenizer`'s segmentation with no added-token
 * matching, BOS in front. Checks on load that it agrees with `tokenizer` on text without added-token text.
 */
export function promptEncoder(tokenizer: PreTrainedTokenizer): PromptEncoder {
  const Tokenizer = tokenizer.constructor as new (json: object, config: object) => PreTrainedTokenizer;
  const plain = new Tokenizer(plainTextTokenizerJson(tokenizer._tokenizerJSON as TokenizerJson), tokenizer._tokenizerConfig);
  for (const probe of ['', 'Hello world', '<|Human|>\u0D46 x\u0D3F\n ']) {
    const a = plain.encode(probe);
    const b = tokenizer.encode(probe);
    if (a.length !== b.length || a.some((id, i) => id !== b[i])) {
      throw new Error(`the prompt encoder disagrees with the tokenizer on ${JSON.stringify(probe)}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
  return (text) => plain.encode(text);
}
