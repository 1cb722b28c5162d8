/**
 * The Agent-FLAN conversation template (InternLM/Agent-FLAN README, model card, dataset card).
 * Role markers are plain text, not special tokens; U+0D46 opens a turn, U+0D3F closes an assistant turn
 * and is the model's stop token (id 30387).
 */

export type Role = 'system' | 'user' | 'assistant';
export interface ChatMessage {
  role: Role;
  content: string;
}

export const TURN_OPEN = '\u0D46';
export const ASSISTANT_CLOSE = '\u0D3F';
export const HUMAN_BEGIN = `<|Human|>${TURN_OPEN}`;
export const ASSISTANT_BEGIN = `<|Assistant|>${TURN_OPEN}`;
export const HUMAN_END = '\n ';
export const ASSISTANT_END = `${ASSISTANT_CLOSE}\n `;
/** Token ids generation stops on: `</s>` and U+0D3F. */
export const STOP_TOKEN_IDS = [2, 30387] as const;

/**
 * The prompt text without BOS (the engine adds it). Every marker here is plain text, so the engine encodes the whole
 * string as text: content that spells `</s>`, `<s>` or `<unk>` stays text too (see engine/prompt-tokens.ts).
 */
export function renderPrompt(messages: ChatMessage[], opts: { addGenerationPrompt?: boolean } = {}): string {
  const addGenerationPrompt = opts.addGenerationPrompt ?? true;
  let out = '';
  for (const m of messages) {
    out += m.role === 'assistant' ? ASSISTANT_BEGIN + m.content + ASSISTANT_END : HUMAN_BEGIN + m.content + HUMAN_END;
  }
  const last = messages[messages.length - 1];
  if (addGenerationPrompt && last?.role !== 'assistant') out += ASSISTANT_BEGIN;
  return out;
}

/**
 * Text from outside the conversation (observations: files, DB cells, web pages, tool output, task data) made
 * unable to forge a turn. A turn opens with U+0D46 after a role name and an assistant turn closes with U+0D3F, the
 * model's end-of-turn token (id 30387); both are ordinary text to the tokenizer, so an observation spelling
 * `\n <|Human|>\u0D46...` would reach the model as the very ids of a real turn. Each of the two signs becomes
 * its escape, spelled in ASCII (`\u0D46`, `\u0D3F`): no observation can produce a role marker's id run or
 * the end-of-turn id, and the model (and the trace) still see that the text held one.
 */
export function neutraliseTurnMarkers(text: string): string {
  return text.replace(/[\u0D46\u0D3F]/g, (sign) => `\\u${sign.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
