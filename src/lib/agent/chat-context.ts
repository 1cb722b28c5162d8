/**
 * Plain chat on the episodes' context budget (context.ts): the oldest turns are left out, with one marker turn,
 * when the conversation and the reply would not fit the model's context. The chat has no fixed prefix.
 */
import type { Conversation, Opening, Pair } from './context';
import type { ChatMessage } from './template';

export function chatMarker(count: number): string {
  return `[${count} earlier ${count === 1 ? 'exchange was' : 'exchanges were'} left out to fit the context.]`;
}

/** Messages ending with the user's new one, as the budget's pairs: each user turn with the reply before it. */
export function chatConversation(messages: readonly ChatMessage[]): Conversation {
  const pairs: (Pair | Opening)[] = [];
  let reply: string | undefined;
  for (const m of messages) {
    if (m.role === 'assistant') {
      reply = reply === undefined ? m.content : `${reply}\n${m.content}`;
    } else if (m.role === 'user') {
      pairs.push(reply === undefined ? { observation: m.content } : { assistant: reply, observation: m.content });
      reply = undefined;
    }
  }
  return { prefix: messages.filter((m) => m.role === 'system'), pairs };
}
