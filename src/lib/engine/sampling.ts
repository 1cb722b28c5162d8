/** Next-token selection over one row of logits: greedy when temperature is 0, else temperature + top-p. */

export interface SamplingOptions {
  temperature: number;
  topP: number;
}


export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] > bestValue) {
      bestValue = logits[i];
      best = i;
    }
  }
  return best;
}

export function sampleToken(logits: ArrayLike<number>, options: SamplingOptions, random: () => number): number {
  if (!(options.temperature > 0)) return argmax(logits);
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  const probs = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.exp((logits[i] - max) / options.temperature);
    probs[i] = p;
    sum += p;
  }
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((x, y) => probs[y] - probs[x]);
  const topP = Math.min(Math.max(options.topP, 0), 1);
  // Keep the smallest prefix of tokens whose mass reaches top_p (at least one token).
  let kept = 0;
  let mass = 0;
  while (kept < n && (kept === 0 || mass < topP * sum)) {
    mass += probs[order[kept]];
    kept++;
  }
  let r = random() * mass;
  for (let k = 0; k < kept; k++) {
    r -= probs[order[k]];
    if (r <= 0) return order[k];
  }
  return order[kept - 1];
}
