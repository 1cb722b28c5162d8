/**
 * How much of the KV cache a new prompt can reuse: the longest common prefix of the cached ids and the
 * prompt's ids, leaving at least one prompt token to run (its logits continue generation). When that
 * prefix is shorter than the cache, the cache is cut back to it (a length reset, kv-cache.ts) instead of being dropped:
 * a reply whose text re-tokenizes differently, or a stop string cut from the history, then costs only
 * the tokens after the first difference.
 */
export function reusablePrefix(cachedIds: readonly number[], promptIds: readonly number[]): number {
  const limit = Math.min(cachedIds.length, promptIds.length - 1);
  let n = 0;
  while (n < limit && cachedIds[n] === promptIds[n]) n++;
  return n;
}
