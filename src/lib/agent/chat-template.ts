/**
 * The Jinja form of `renderPrompt` that the model builder writes into tokenizer_config.json, so that
 * `tokenizer.apply_chat_template` in transformers.js (or Python) renders the same prompt. It starts with
 * `bos_token` because apply_chat_template tokenizes without adding special tokens. Note that apply_chat_template then
 * matches `</s>`, `<s>` and `<unk>` inside message content as special tokens; the app does not use it (its engine
 * encodes `renderPrompt`'s text without added-token matching, see engine/prompt-tokens.ts).
 */
export const AGENT_FLAN_CHAT_TEMPLATE =
  "{{- bos_token -}}" +
  "{%- for message in messages -%}" +
  "{%- if message['role'] == 'assistant' -%}" +
  "{{- '<|Assistant|>\u0D46' + message['content'] + '\u0D3F\\n ' -}}" +
  "{%- else -%}" +
  "{{- '<|Human|>\u0D46' + message['content'] + '\\n ' -}}" +
  "{%- endif -%}" +
  "{%- endfor -%}" +
  "{%- if add_generation_prompt and (messages | length == 0 or messages[-1]['role'] != 'assistant') -%}" +
  "{{- '<|Assistant|>\u0D46' -}}" +
  "{%- endif -%}";
