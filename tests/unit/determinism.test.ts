/**
 * Random and time-based results repeat from the episode's seed and clock (what a restore's replay relies on),
 * and a result too large for JavaScript is refused before it is built.
 */
import { describe, expect, test } from 'vitest';
import { DbEnvironment } from '../../src/lib/tasks/db/env';
import { ToolsEnvironment } from '../../src/lib/tasks/tools/env';
import { envModule as dbModule } from '../../src/lib/tasks/db/index';
import { envModule as toolsModule } from '../../src/lib/tasks/tools/index';
import { runJavaScript } from '../../src/lib/runtimes/quickjs';
import { SQL_RESULT_BYTE_LIMIT, execBounded, openDatabase } from '../../src/lib/runtimes/sqlite';
import type { EpisodeSeed } from '../../src/lib/runtimes/determinism';

const dbTask = dbModule.tasks.find((t) => t.id === 'db-04')!;
const sql = (args: string) => ({ type: 'tool' as const, name: 'sql', args });
const EPISODE: EpisodeSeed = { seed: 1234, startMs: Date.UTC(2025, 5, 1, 12, 0, 0) };

async function dbObservations(episode: EpisodeSeed, queries: string[]): Promise<string[]> {
  const env = new DbEnvironment();
  await env.reset(dbTask, episode);
  const out: string[] = [];
  for (const q of queries) out.push((await env.step(sql(q))).observation);
  return out;
}

describe('SQL (sql.js)', () => {
  const queries = ['SELECT random(), hex(randomblob(8))', "SELECT datetime('now'), CURRENT_TIMESTAMP", 'SELECT random() FROM (SELECT 1 UNION SELECT 2 UNION SELECT 3)'];

  test('random(), randomblob() and the clock repeat from the episode seed', async () => {
    const first = await dbObservations(EPISODE, queries);
    expect(await dbObservations(EPISODE, queries)).toEqual(first);
    expect(await dbObservations({ ...EPISODE, seed: 99 }, queries)).not.toEqual(first);
    // The clock: the episode's start, one second later at the second step.
    expect(first[1]).toBe("[('2025-06-01 12:00:01', '2025-06-01 12:00:01')]");
    // Each row draws a number of its own (not one value folded for the whole query).
    expect(new Set(first[2].match(/-?\d+/g)).size).toBe(3);
  });

  test('randomblob keeps SQLite’s heap cap', async () => {
    const [obs] = await dbObservations(EPISODE, ['SELECT length(randomblob(100 * 1024 * 1024))']);
    expect(obs).toMatch(/out of memory/);
  });

  test('a result past the byte budget is refused with a clear observation; the database goes on', async () => {
    const flood = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 200) SELECT x, randomblob(100000) FROM c`;
    const [big, after] = await dbObservations(EPISODE, [flood, "SELECT Floors FROM skyscrapers_in_Columbus WHERE Name = 'Capitol Square'"]);
    expect(big).toMatch(/^The query's result is larger than 8 MB; reading stopped after \d+ rows\. Select fewer rows/);
    expect(after).toBe("[('26',)]");
  });

  test('execBounded gives what exec gives, within the budget', async () => {
    const db = await openDatabase();
    const text = "CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (2, NULL); SELECT * FROM t; SELECT count(*) AS n FROM t";
    const reference = await openDatabase();
    expect(execBounded(db, text)).toEqual(reference.exec(text));
    expect(() => execBounded(db, 'SELECT a, b FROM t', 20)).toThrow(/reading stopped after 0 rows/);
    expect(SQL_RESULT_BYTE_LIMIT).toBe(8 * 1024 * 1024);
  });
});

describe('JavaScript (QuickJS)', () => {
  const code = 'const d = new Date(); [Math.random(), Math.random(), Date.now() - d.getTime(), d.toISOString()]';

  test('Math.random and the clock repeat from the seed; other Date uses still work', async () => {
    const one = await runJavaScript(code, {}, { seed: 7, nowMs: Date.UTC(2025, 0, 2) });
    const two = await runJavaScript(code, {}, { seed: 7, nowMs: Date.UTC(2025, 0, 2) });
    const other = await runJavaScript(code, {}, { seed: 8, nowMs: Date.UTC(2025, 0, 2) });
    expect(one.ok).toBe(true);
    expect(two.output).toBe(one.output);
    expect(other.output).not.toBe(one.output);
    const [a, b, later, iso] = JSON.parse(one.output);
    expect(a).not.toBe(b);
    expect(later).toBe(1);
    expect(iso).toBe('2025-01-02T00:00:00.000Z');
    expect((await runJavaScript('new Date(0).toISOString() + " " + (new Date() instanceof Date) + " " + typeof Date()')).output).toBe('1970-01-01T00:00:00.000Z true string');
  });

  test('a busy wait on the clock ends (it advances with every read)', async () => {
    const r = await runJavaScript('const t = Date.now(); while (Date.now() < t + 50) {} "done"');
    expect(r.output).toBe('done');
  });

  test('the Tools environment gives each tool call its step’s seed and clock', async () => {
    const task = toolsModule.tasks.find((t) => t.data.tools.some((tool) => tool.name === 'JavaScript'))!;
    const run = async (episode: EpisodeSeed) => {
      const env = new ToolsEnvironment();
      await env.reset(task, episode);
      const call = { type: 'tool' as const, name: 'JavaScript', args: { code: '[Math.random(), new Date().toISOString()]' } };
      return [(await env.step(call)).observation, (await env.step(call)).observation];
    };
    const [first, second] = await run(EPISODE);
    expect(await run(EPISODE)).toEqual([first, second]);
    expect(first).not.toBe(second);
    expect(JSON.parse(second)[1]).toBe('2025-06-01T12:00:01.000Z');
  });
});
