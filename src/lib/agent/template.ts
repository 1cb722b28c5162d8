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
