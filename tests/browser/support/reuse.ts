import type { Page } from 'playwright-core';
import type { Engine, GenerateResult } from '../../../src/lib/engine/types';

/**
 * Runs the same agent-style conversation twice through the page's engine: once letting each turn reuse the
 * KV cache of the previous one, once resetting the cache before every turn. Each turn's history holds the
 * model's own previous reply, so reuse depends on the engine matching token ids, not text.
 */
export async function reuseVersusFresh(page: Page, turns: number, maxNewTokens: number): Promise<{ reused: GenerateResult[]; fresh: GenerateResult[] }> {
  return page.evaluate(
    async ({ turns, maxNewTokens }) => {
      const { engine } = (globalThis as unknown as { agentFlanWeb: { engine: Engine } }).agentFlanWeb;
      const observations = ['Plan the task.', 'Response: the table has 3 rows', 'Response: [(1, "Ann")]', 'Response: done'].slice(0, turns);
      const render = (msgs: { role: string; content: string }[]) =>
        msgs.map((m) => (m.role === 'assistant' ? `<|Assistant|>\u0D46${m.content}\u0D3F\n ` : `<|Human|>\u0D46${m.content}\n `)).join('') + '<|Assistant|>\u0D46';
      const run = async (reuse: boolean) => {
        const msgs = [{ role: 'system', content: 'You are an agent.' }];
        const results: GenerateResult[] = [];
        await engine.reset();
        for (const observation of observations) {
          msgs.push({ role: 'user', content: observation });
          if (!reuse) await engine.reset();
          const r = await engine.generate({ prompt: render(msgs), temperature: 0, maxNewTokens });
          results.push(r);
          msgs.push({ role: 'assistant', content: r.text });
        }
        return results;
      };
      const reused = await run(true);
      const fresh = await run(false);
      return { reused, fresh };
    },
    { turns, maxNewTokens },
  );
}
