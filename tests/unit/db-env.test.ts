import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { envModule } from '../../src/lib/tasks/db/index';
import { GOLD_REPAIRS } from '../../src/lib/tasks/db/gold-repairs';
import { answersMatch, splitListText } from '../../src/lib/tasks/db/answer-match';
import { replayExpert } from './helpers/replay-expert';
import { dbTaskFromEntry, goldStatement, isModifying, loadEntry, runSql, type DbBenchEntry } from '../../src/lib/tasks/db/env';
import { tablesHash } from '../../src/lib/tasks/db/table-hash';
import { pyRows } from '../../src/lib/tasks/db/python-repr';
import { md5Hex } from '../../src/lib/tasks/db/md5';
import { rewriteMysqlStringEscapes } from '../../src/lib/tasks/db/mysql-compat';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = [join(repoRoot, '../shared/fixtures/agentbench/dbbench-dev.jsonl'), '/work/shared/fixtures/agentbench/dbbench-dev.jsonl'].find(existsSync);

function shapes(entry: DbBenchEntry) {
  const tables = Array.isArray(entry.table) ? entry.table : [entry.table];
  return tables.map((t) => ({ name: t.table_name, columns: t.table_info.columns.map((c) => c.name) }));
}

/**
 * Gold SELECT statements in the dev set that SQLite rejects, and why. None is a MySQL-only construct:
 * each is broken as written (MySQL rejects it too) or names a column/table the entry's table lacks.
 * SELECT tasks are scored on the answer, so these still reach reward 1 with the label as the answer.
 * The expert trajectories run repaired statements instead (src/lib/tasks/db/gold-repairs.ts).
 */
const BROKEN_GOLD_SQL: Record<string, string> = {
  'db-01': 'unquoted multi-word column "Presentation of Credentials"',
  'db-03': 'column weeks_at_No_1 does not exist (the column is "weeks at No. 1")',
  'db-07': 'column Wrestler does not exist in the table (the headers are "Wrestler:", "Date:", ...)',
  'db-09': 'missing spaces: "AverageFROM [..]WHERE"; W-L-T unquoted reads as W minus L minus T',
  'db-12': 'FROM table: the table is named "table", a reserved word, unquoted; and there is no column Area ("Area (km²)")',
  'db-14': 'missing spaces: "DESCLIMIT"',
  'db-19': 'table Baseball_Team_Record does not exist (the table is "Baseball Team Record")',
  'db-20': 'missing spaces: "AVG(Total)FROM Olympic_medal_countsWHERE"',
};

describe('AgentBench DB environment (sql.js)', () => {
  it('the catalog is the 60 dev entries of the shared fixture, as they are', () => {
    expect(fixture, 'dbbench-dev.jsonl not found in ../shared or /work/shared').toBeDefined();
    const lines = readFileSync(fixture!, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(60);
    expect(envModule.tasks.map((t) => t.data)).toEqual(lines.map((l) => JSON.parse(l)));
  });

  it('replaying every task: gold SQL, then the label as final answer, scores 1', async () => {
    const env = await envModule.create();
    let solved = 0;
    const failedGold: string[] = [];
    for (const task of envModule.tasks) {
      await env.reset(task);
      const sql = goldStatement(task.data)!;
      expect(sql, task.id).toBeTruthy();
      const obs = await env.step({ type: 'tool', name: 'sql', args: sql });
      if (!obs.observation.startsWith('[')) failedGold.push(task.id);
      const final = await env.step({ type: 'final', answer: task.data.label.map(String) });
      expect(final.done).toBe(true);
      solved += final.reward;
    }
    console.log(`db gold replay: ${solved}/60 reward 1; gold SQL rejected by SQLite: ${failedGold.join(', ')}`);
    expect(solved).toBe(60);
    expect(failedGold).toEqual(Object.keys(BROKEN_GOLD_SQL));
  });

  it('every broken gold statement has a repair that runs in SQLite and whose result supports the label, unless the label disagrees with the table', async () => {
    expect(Object.keys(GOLD_REPAIRS)).toEqual(Object.keys(BROKEN_GOLD_SQL));
    const supports = (out: string, label: unknown[]) => {
      const cells = splitListText(out);
      // An empty result supports a label of "none"; otherwise every label value is a cell of the result.
      if (cells.length === 0) return answersMatch(['none'], label.map(String));
      return label.every((l) => cells.some((c) => answersMatch([c], [String(l)])));
    };
    const results: Record<string, string> = {};
    for (const [id, repair] of Object.entries(GOLD_REPAIRS)) {
      const task = envModule.tasks.find((t) => t.id === id)!;
      expect(isModifying(task.data), id).toBe(false);
      expect(repair.sql, id).not.toBe(goldStatement(task.data));
      expect(repair.why.length, id).toBeGreaterThan(30);
      const db = await loadEntry(task.data);
      const out = runSql(db, repair.sql);
      results[id] = out;
      expect(out, `${id}: ${repair.sql}`).toMatch(/^\[/);
      expect(supports(out, task.data.label), `${id}: ${out} vs label ${JSON.stringify(task.data.label)}`).toBe(!repair.labelNote);
      if (repair.evidence) {
        const evidence = runSql(db, repair.evidence.sql);
        expect(evidence, id).toMatch(/^\[/);
        results[`${id} evidence`] = evidence;
      }
      db.close();
    }
    // The two labels that disagree with their tables, and what the tables say instead.
    expect(Object.keys(GOLD_REPAIRS).filter((id) => GOLD_REPAIRS[id].labelNote)).toEqual(['db-01', 'db-12']);
    expect(results['db-01']).toBe('[]');
    expect(results['db-01 evidence']).toBe('[]'); // no mission starts or ends in 1998 or 2000
    expect(results['db-12']).toBe("[('Qena', '107,887')]");
    expect(results['db-12 evidence']).toBe("[('Giza', '85,153'), ('Giza', '6,500')]");
    expect(results['db-09']).toBe('[]'); // label "none"
  });

  it('every expert trajectory runs without an SQL error through the db parser and scores 1; broken gold is never shown', async () => {
    const failed: string[] = [];
    for (const task of envModule.tasks) {
      const turns = envModule.experts[task.id];
      const results = await replayExpert(envModule, task);
      results.slice(0, -1).forEach((r, i) => {
        if (!r.observation.startsWith('[')) failed.push(`${task.id} turn ${i + 1}: ${r.observation}`);
      });
      expect(results.at(-1), task.id).toMatchObject({ done: true, reward: 1 });
      const repair = GOLD_REPAIRS[task.id];
      if (repair) {
        expect(turns[0], task.id).toContain(repair.sql);
        expect(turns.at(-1), task.id).toContain(repair.answerThought ?? 'The result gives the answer.');
        expect(task.note, task.id).toBe(repair.labelNote);
      } else {
        expect(task.note, task.id).toBeUndefined();
      }
    }
    expect(failed).toEqual([]);
  });

  it('our table hash after the gold statement equals AgentBench\'s stored answer_md5 for every modifying task', async () => {
    const modifying = envModule.tasks.filter((t) => isModifying(t.data));
    expect(modifying).toHaveLength(40);
    for (const task of modifying) {
      const db = await loadEntry(task.data);
      expect(runSql(db, goldStatement(task.data)!), task.id).toBe('[]');
      const expected = task.data.answer_md5!.match(/[0-9a-f]{32}/)![0];
      expect(tablesHash(db, shapes(task.data)), task.id).toBe(expected);
      db.close();
    }
  });

  it('a modifying task fails when the table is left unchanged or changed differently', async () => {
    const env = await envModule.create();
    const task = envModule.tasks.find((t) => t.data.type[0] === 'UPDATE')!;
    await env.reset(task);
    expect((await env.step({ type: 'final', answer: ['done'] })).reward).toBe(0);
    await env.reset(task);
    const tableName = shapes(task.data)[0].name;
    await env.step({ type: 'tool', name: 'sql', args: `DELETE FROM \`${tableName}\`` });
    expect((await env.step({ type: 'final', answer: ['done'] })).reward).toBe(0);
  });

  it('a wrong SELECT answer scores 0, and the observation is the error text for bad SQL', async () => {
    const env = await envModule.create();
    const task = envModule.tasks[3]; // Floors of Capitol Square: 26
    expect(await env.reset(task)).toContain('capitol square have?\nThe name of this table is skyscrapers_in_Columbus');
    const bad = await env.step({ type: 'tool', name: 'sql', args: 'SELEC nothing' });
    expect(bad).toMatchObject({ done: false, reward: 0 });
    expect(bad.observation).toMatch(/syntax error/);
    const ok = await env.step({ type: 'tool', name: 'sql', args: "SELECT Floors FROM skyscrapers_in_Columbus WHERE Name = 'capitol square'" });
    expect(ok.observation).toBe("[('26',)]"); // case-insensitive like MySQL's default collation
    expect((await env.step({ type: 'final', answer: ['25'] })).reward).toBe(0);
  });
});

describe('DB helpers', () => {
  it('an inline entry with a missing or malformed field is refused with a message naming it', () => {
    const good = envModule.tasks[0].data;
    expect(dbTaskFromEntry(good, 'inline-1')).toMatchObject({ id: 'inline-1', env: 'db', data: good });
    expect(() => dbTaskFromEntry({ ...good, description: 3 }, 'x')).toThrow(/dbbench entry x: "description" must be a string/);
    expect(() => dbTaskFromEntry({ ...good, table: { table_name: 't', table_info: { columns: [{ name: 'a' }], rows: [[1, 2]] } } }, 'x')).toThrow(
      /table 0: every row of "table_info.rows" must have one value per column/,
    );
    expect(() => dbTaskFromEntry({ ...good, type: ['UPDATE'], label: [], sql: undefined }, 'x')).toThrow(/needs its gold statement/);
    expect(() => dbTaskFromEntry('SELECT 1', 'x')).toThrow(/not an object/);
  });

  it('md5 matches known digests', () => {
    expect(md5Hex('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(md5Hex('The quick brown fox jumps over the lazy dog')).toBe('9e107d9d372bb6826bd81d3542a419d6');
  });

  it('rows render as Python reprs of tuples', () => {
    expect(pyRows([['a', 1], [null, 2.5]])).toBe("[('a', 1), (None, 2.5)]");
    expect(pyRows([["Don't"]])).toBe('[("Don\'t",)]');
    expect(pyRows([['a\\b\n']])).toBe("[('a\\\\b\\n',)]");
    expect(pyRows([])).toBe('[]');
  });

  it('answer equality follows AgentBench: numeric tolerance, sets, special values', () => {
    expect(answersMatch(['1'], ['1.0'])).toBe(true);
    expect(answersMatch(['2011.004'], ['2011.0'])).toBe(true);
    expect(answersMatch(['2011.02'], ['2011.0'])).toBe(false);
    expect(answersMatch(['b', 'a'], ['a', 'b'])).toBe(true);
    expect(answersMatch(['a'], ['a', 'b'])).toBe(false);
    expect(answersMatch(['None'], ['none'])).toBe(true);
    expect(answersMatch([''], ['0'])).toBe(true);
    expect(answersMatch(['32,502'], ['32502.0'])).toBe(true);
    expect(answersMatch(['99.8%'], ['99.8'])).toBe(true);
    expect(answersMatch("[('x',), ('y',)]", ['y', 'x'])).toBe(true);
    expect(answersMatch(['3', '1'], ['1.0', '3.0'])).toBe(true);
    expect(answersMatch(['Giza '], ['giza'])).toBe(false);
  });

  it('MySQL backslash escapes in string literals become SQLite quoting; identifiers are left alone', () => {
    expect(rewriteMysqlStringEscapes("SELECT a FROM `x\\y` WHERE t = 'Don\\'t' AND u = 'a''b'")).toBe(
      "SELECT a FROM `x\\y` WHERE t = 'Don''t' AND u = 'a''b'",
    );
  });
});
