/**
 * Token counts in OpenAI's cl100k_base, as `tiktoken.get_encoding("cl100k_base").encode(text)` counts them: the
 * HotpotQA harness measures its prompt with it (eval_heldout/hotpotQA/src/llms.py:26, agent_arch.py:157).
 * js-tiktoken (MIT, github.com/dqbd/tiktoken, the JavaScript port of openai/tiktoken) with only its cl100k rank
 * file, imported on first use so that the ~1 MB of ranks stays out of the main bundle.
 */
import type { Tiktoken } from 'js-tiktoken/lite';

let encoder: Promise<Tiktoken> | undefined;

function load(): Promise<Tiktoken> {
  encoder ??= Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/cl100k_base')]).then(
    ([{ Tiktoken }, { default: ranks }]) => new Tiktoken(ranks),
    (e: unknown) => {
      encoder = undefined; // a failed chunk load may succeed on the next call
      throw new Error(`the cl100k_base tokenizer did not load: ${e instanceof Error ? e.message : String(e)}`);
    },
  );
  return encoder;
}

/**
 * Python tiktoken's `encode` with its defaults (no special token allowed): a text containing one, such as
 * `<|endoftext|>`, throws there and here.
 */
export async function countCl100k(text: string): Promise<number> {
  return (await load()).encode(text).length;
}
