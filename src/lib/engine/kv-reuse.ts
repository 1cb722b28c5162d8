/**
 * Decides how much of the KV cache a new prompt can reuse. The cache holds the keys/values of exactly
 * `cachedIds`; it can only be extended, so it is reusable when the new prompt's ids start with all of
 * them and add at least one token (the new tokens' logits are needed to continue).
 */
export function reusableLength(cachedIds: readonly number[], promptIds: readonly number[]): number {
  if (cachedIds.length === 0 || promptIds.length <= cachedIds.length) return 0;
  for (let i = 0; i < cachedIds.length; i++) if (cachedIds[i] !== promptIds[i]) return 0;
  return cachedIds.length;
}
