/**
 * How well the context budget keeps the engine's KV cache reusable over long episodes.
 * Simulates episodes that outgrow a 4096-token context (seeded observation and reply lengths,
 * a stand-in counter of 3.5 characters per token) and prints, per headroom setting: turns that
 * needed a new cut, the share of each prompt that the previous prompt already covered (what a
 * prefix KV cache can reuse), and token-counter calls per turn.
 *
 *   npx tsx scripts/bench-context.ts
 */
import { ContextBudget, type Pair } from '../src/lib/agent/context';
import type { ChatMessage } from '../src/lib/agent/template';

const CONTEXT = 4096;
const MAX_NEW = 1024;
const TURNS = 35;

async function simulate(headroom: number | undefined, maxObservation: number, seed: number) {
  let calls = 0;
  const countTokens = async (text: string) => {
    calls++;
    return Math.ceil(text.length / 3.5) + 1;
  };
  const prefix: ChatMessage[] = [
    { role: 'system', content: 's'.repeat(4000) },
    { role: 'user', content: 't'.repeat(300) },
  ];
  const budget = new ContextBudget({ countTokens, contextLength: CONTEXT, maxNewTokens: MAX_NEW, headroom });
  const pairs: Pair[] = [];
  let previous = '';
  let reused = 0;
  let total = 0;
  let cuts = 0;
  for (let turn = 0; turn < TURNS; turn++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    pairs.push({ assistant: 'a'.repeat(120 + (seed % 240)), observation: 'o'.repeat(40 + ((seed >> 9) % maxObservation)) });
    const fitted = await budget.fit({ prefix, pairs });
    if (fitted.cut) cuts++;
    let k = 0;
    while (k < previous.length && previous[k] === fitted.prompt[k]) k++;
    if (turn > 0) {
      reused += k;
      total += fitted.prompt.length;
    }
    previous = fitted.prompt;
  }
  return { cuts, reuse: reused / total, callsPerTurn: calls / TURNS };
}

for (const maxObservation of [800, 2500]) {
  for (const headroom of [0, 256, undefined, 1024]) {
    const runs = await Promise.all([1, 2, 3, 4, 5].map((s) => simulate(headroom, maxObservation, s)));
    const mean = (f: (r: (typeof runs)[number]) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
    console.log(
      `observations up to ${maxObservation} chars, headroom ${headroom ?? `${CONTEXT / 8} (default)`}: ` +
        `${mean((r) => r.cuts).toFixed(1)} of ${TURNS} turns cut, ` +
        `${(100 * mean((r) => r.reuse)).toFixed(1)}% of prompt text reusable from the previous turn, ` +
        `${mean((r) => r.callsPerTurn).toFixed(2)} token counts per turn`,
    );
  }
}
