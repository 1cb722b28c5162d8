import { readFileSync } from 'node:fs';
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
import { mysqlToNumber, mysqlToSqlite, rewriteMysqlNumericComparisons, rewriteMysqlStringEscapes } from '../../src/lib/tasks/db/mysql-compat';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = join(repoRoot, 'tests/fixtures/agentbench/dbbench-dev.jsonl');

function shapes(entry: DbBenchEntry) {
  const tables = Array.isArray(entry.table) ? entry.table : [entry.table];
  return tables.map((t) => ({ name: t.table_name, columns: t.table_info.columns.map((c) => c.name) }));
}

/**
 * Gold SELECT statements in the dev set that fail, and why. None is a MySQL-only construct: each is broken as
 * written (MySQL rejects it) or names a column/table the entry's table lacks.
 * SELECT tasks are scored on the answer, so these still reach reward 1 with the label as the answer.
 * The expert trajectories run repaired statements instead (src/lib/tasks/db/gold-repairs.ts).
 */
const BROKEN_GOLD_SQL: Record<string, string> = {
  'db-01': 'unquoted multi-word column "Presentation of Credentials"',
  'db-03': 'column weeks_at_No_1 does not exist (the column is "weeks at No. 1")',
  'db-07': 'column Wrestler does not exist in the table (the headers are "Wrestler:", "Date:", ...)',
  'db-08': "FROM 'Football Matches': the table named with a string, a syntax error to MySQL (SQLite reads it as a name)",
  'db-09': 'missing spaces: "AverageFROM [..]WHERE"; W-L-T unquoted reads as W minus L minus T',
  'db-12': 'FROM table: the table is named "table", a reserved word, unquoted; and there is no column Area ("Area (km²)")',
  'db-14': 'missing spaces: "DESCLIMIT"',
  'db-19': 'table Baseball_Team_Record does not exist (the table is "Baseball Team Record")',
  'db-20': 'missing spaces: "AVG(Total)FROM Olympic_medal_countsWHERE"',
};

const syntax = (near: string) =>
  `1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near}' at line 1`;
/**
 * What MySQL 8 answers each broken gold statement, through the harness (mysql.connector's "errno (sqlstate): msg"),
 * read off MySQL 8.0's grammar (sql_yacc.yy) and reserved words: a syntax error names the rest of the statement,
 * at most 80 characters, from the token where the parser stops; a statement that parses fails on the first
 * unknown column of the select list, or on the table.
 */
const MYSQL_GOLD_ERRORS: Record<string, string> = {
  // OF is reserved since 8.0.1 (FOR UPDATE OF): it cannot follow a select item.
  'db-01': syntax('of Credentials FROM "US Ambassadors and Envoy Extraordinary to Colombia" WHERE "'),
  'db-03': "1054 (42S22): Unknown column 'weeks_at_No_1' in 'field list'",
  'db-07': "1054 (42S22): Unknown column 'Wrestler' in 'field list'",
  // A string cannot name a table.
  'db-08': syntax("'Football Matches' WHERE Result='2–1' AND Competition='Friendly' AND Goal<17;"),
  // No MySQL token starts with "[".
  'db-09': syntax("[Football Team Performance]WHERE W-L-T = '5-1' AND Season < '2001' AND Games < '"),
  'db-12': syntax('table ORDER BY Area DESC LIMIT 1;'),
  // "DateFROM" is a column, the double-quoted text its alias, and WHERE may follow a select list without FROM.
  'db-14': syntax('DESCLIMIT 1;'),
  'db-19': "1146 (42S02): Table 'Baseball Team Record.Baseball_Team_Record' doesn't exist",
  // "Olympic_medal_countsWHERE" is the table, Gold its alias.
  'db-20': syntax("= 0 AND Nation = 'Iran';"),
};

describe('AgentBench DB environment (sql.js)', () => {
  it('the broken gold statements fail as MySQL 8 fails them, in the database the harness names after the table', async () => {
    const env = await envModule.create();
    const seen: Record<string, string> = {};
    for (const id of Object.keys(BROKEN_GOLD_SQL)) {
      const task = envModule.tasks.find((t) => t.id === id)!;
      await env.reset(task);
      seen[id] = (await env.step({ type: 'tool', name: 'sql', args: goldStatement(task.data)! })).observation;
    }
    expect(seen).toEqual(MYSQL_GOLD_ERRORS);
  });

  it('the catalog is the 60 dev entries of the AgentBench fixture, as they are', () => {
    const lines = readFileSync(fixture, 'utf8').trim().split('\n');
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
      // Strict mode scores as AgentBench.old did (Python eval of the answer text, float equality, sets).
      expect(final.strictReward ?? final.reward, task.id).toBe(final.reward);
      solved += final.reward;
    }
    console.log(`db gold replay: ${solved}/60 reward 1; gold SQL that fails: ${failedGold.join(', ')}`);
    expect(solved).toBe(60);
    expect(failedGold).toEqual(Object.keys(BROKEN_GOLD_SQL));
  }, 30_000);

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
  }, 60_000);

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
    expect(bad.observation).toBe(
      "1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC nothing' at line 1",
    );
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

  it("MySQL's string-to-number conversion: leading whitespace, longest decimal prefix, else 0", () => {
    const cases: [unknown, number | null][] = [
      ['12abc', 12], ['abc', 0], [' 3.5', 3.5], ['1,234', 1], ['-2e3', -2000], ['98.9', 98.9], ['', 0],
      ['\n\t5', 5], ['+5', 5], ['.5e1', 5], ['5.', 5], ['1e', 1], ['1e+', 1], ['- 5', 0], ['0x10', 0], ['inf', 0],
      ['£8.5m', 0], ['2–1', 2], [7, 7], [2.5, 2.5], [null, null],
    ];
    for (const [input, want] of cases) expect(mysqlToNumber(input), JSON.stringify(input)).toBe(want);
  });

  it('comparisons of an operand with a number are rewritten to compare numerically; nothing else is touched', () => {
    const rw = rewriteMysqlNumericComparisons;
    const n = (x: string) => `mysql_number(${x})`;
    // Rewritten: column, qualified column, either side, signed and decimal literals, BETWEEN and IN of numbers,
    // function results, parenthesised operands, CASE, numeric subqueries and functions on the other side.
    expect(rw('SELECT a FROM t WHERE b < 107.7')).toBe(`SELECT a FROM t WHERE ${n('b')} < 107.7`);
    expect(rw('SELECT a FROM t WHERE t.`b c` >= -5 AND 10 < d')).toBe(`SELECT a FROM t WHERE ${n('t.`b c`')} >= -5 AND 10 < ${n('d')}`);
    expect(rw("SELECT * FROM t WHERE REPLACE(a, ',', '') > 1000 OR MAX(b) = 2 OR (c) <> 3 OR LEFT(y, 2) = 19")).toBe(
      `SELECT * FROM t WHERE ${n("REPLACE(a, ',', '')")} > 1000 OR ${n('MAX(b)')} = 2 OR ${n('(c)')} <> 3 OR ${n('LEFT(y, 2)')} = 19`,
    );
    expect(rw('SELECT * FROM t WHERE a BETWEEN 1 AND 10 AND b NOT IN (1, 2)')).toBe(
      `SELECT * FROM t WHERE ${n('a')} BETWEEN 1 AND 10 AND ${n('b')} NOT IN (1, 2)`,
    );
    expect(rw('SELECT * FROM t WHERE a > (SELECT AVG(a) FROM t) AND (SELECT COUNT(*) AS k FROM u) < b AND COUNT(*) <= c')).toBe(
      `SELECT * FROM t WHERE ${n('a')} > (SELECT AVG(a) FROM t) AND (SELECT COUNT(*) AS k FROM u) < ${n('b')} AND COUNT(*) <= ${n('c')}`,
    );
    expect(rw("SELECT CASE WHEN a = '' THEN b ELSE c END = 1 FROM t")).toBe(`SELECT ${n("CASE WHEN a = '' THEN b ELSE c END")} = 1 FROM t`);
    expect(rw('DELETE FROM t WHERE NOT a = 5 AND x - 5 = b')).toBe(`DELETE FROM t WHERE NOT ${n('a')} = 5 AND x - 5 = ${n('b')}`);
    expect(rw('UPDATE t SET a = 5, b = 6 WHERE c = 7')).toBe(`UPDATE t SET a = 5, b = 6 WHERE ${n('c')} = 7`);
    expect(rw('CREATE TABLE v AS SELECT * FROM t WHERE a > 5')).toBe(`CREATE TABLE v AS SELECT * FROM t WHERE ${n('a')} > 5`);
    expect(rw('SELECT * FROM t WHERE a = 5 -- b = 5\n AND /* c = 5 */ d = 5')).toBe(`SELECT * FROM t WHERE ${n('a')} = 5 -- b = 5\n AND /* c = 5 */ ${n('d')} = 5`);
    // Not rewritten: string literals, column with column, numbers inside strings and names, assignments,
    // lists and BETWEENs that are not all numbers, text operators, CHECK constraints, parameters, PRAGMA.
    for (const sql of [
      "SELECT a FROM t WHERE b = '5' AND c = d AND e LIKE '%5%' AND `x < 5` = 'y < 5' AND \"n = 1\" = 'm > 2'",
      "SELECT * FROM t WHERE c IN ('1', 2) AND d IN (SELECT 1) AND e BETWEEN '1' AND 5 AND c > (SELECT MAX(c) FROM t)",
      "SELECT * FROM t WHERE a || 'x' = 5 AND b COLLATE NOCASE = 5 AND 5 = c || 'x' AND EXISTS (SELECT 1) = 1",
      'INSERT INTO t (a, b) VALUES (10, 12.50)',
      'UPDATE t SET a = 5',
      'CREATE TABLE u (a INT CHECK (a > 5))',
      'SELECT * FROM t WHERE a = 0x10 AND c = @v AND d = :p AND e = ?',
      'PRAGMA cache_size = 5',
    ]) {
      expect(rw(sql), sql).toBe(sql);
    }
  });

  // Every expectation here is what MariaDB 10.11 returns for the same TEXT table (MySQL's rules; see
  // scripts/db-mysql-crosscheck.ts for the full comparison against a server).
  it('text compared with a number behaves as in MySQL on a table loaded like AgentBench\'s', async () => {
    const values = ['9', '17.5', ' 3.5', '1,234', 'abc', '12abc', '-2e3', '107.7', '5.0'];
    const entry = { description: 'x', label: [], type: ['other'], table: { table_name: 'T', table_info: { columns: [{ name: 'v' }], rows: values.map((v) => [v]) } } };
    const db = await loadEntry(entry as DbBenchEntry);
    const q = (where: string) => runSql(db, `SELECT v FROM T WHERE ${where}`);
    expect(q('v < 10')).toBe("[('9',), (' 3.5',), ('1,234',), ('abc',), ('-2e3',), ('5.0',)]");
    expect(q('v = 0')).toBe("[('abc',)]");
    expect(q('v = 5')).toBe("[('5.0',)]"); // SQLite alone: no row ('5.0' <> '5' as text)
    expect(q('v >= 107.7')).toBe("[('107.7',)]"); // '1,234' reads as 1
    expect(q("REPLACE(v, ',', '') > 1000")).toBe("[('1,234',)]"); // SQLite alone: every row (text > number)
    expect(q('v BETWEEN 10 AND 20')).toBe("[('17.5',), ('12abc',)]");
    expect(q('v IN (9, 12)')).toBe("[('9',), ('12abc',)]");
    expect(q("v > '5'")).toBe("[('9',), ('abc',), ('5.0',)]"); // string with string: compared as text
    expect(q('v > (SELECT AVG(v) FROM T)')).toBe("[('9',), ('17.5',), (' 3.5',), ('1,234',), ('abc',), ('12abc',), ('107.7',), ('5.0',)]");
    expect(runSql(db, 'SELECT SUM(v), AVG(v) FROM T')).toBe('[(-1844.3, -204.92222222222222)]');
    db.close();
  });

  it("db-11's original gold SELECT gives its label with MySQL's comparisons (db-08's only once repaired: MySQL rejects its FROM 'string'); the 20 SELECT golds before and after", async () => {
    const selects = envModule.tasks.filter((t) => !isModifying(t.data));
    expect(selects).toHaveLength(20);
    const matching = (out: string, label: unknown[]) => {
      if (!out.startsWith('[')) return false;
      const cells = splitListText(out);
      return answersMatch(cells.length ? cells : ['none'], label.map(String)); // an empty result is "none"
    };
    const before: string[] = [];
    const after: string[] = [];
    for (const task of selects) {
      const db = await loadEntry(task.data);
      const sql = goldStatement(task.data)!;
      let old: string;
      try {
        old = pyRows(db.exec(rewriteMysqlStringEscapes(sql)).at(-1)?.values ?? []); // SQLite's own comparison rules
      } catch (e) {
        old = (e as Error).message;
      }
      if (matching(old, task.data.label)) before.push(task.id);
      if (matching(runSql(db, sql), task.data.label)) after.push(task.id);
      db.close();
    }
    console.log(`db SELECT gold results matching the label: ${before.length}/20 with SQLite's rules, ${after.length}/20 with MySQL's (${after.join(', ')})`);
    expect(before).toEqual(['db-04', 'db-05', 'db-10', 'db-15']);
    expect(after).toEqual(['db-04', 'db-05', 'db-10', 'db-11', 'db-15']);
    const db11 = envModule.tasks.find((t) => t.id === 'db-11')!;
    const db = await loadEntry(db11.data);
    const out = runSql(db, goldStatement(db11.data)!);
    expect(splitListText(out)).toEqual(db11.data.label); // same rows, in the label's order
    db.close();
  });

  it('a statement that does not parse gets the MySQL syntax error for it as written', async () => {
    const task = envModule.tasks.find((t) => t.id === 'db-20')!;
    const db = await loadEntry(task.data);
    const gold = goldStatement(task.data)!;
    expect(mysqlToSqlite(gold)).toContain('mysql_number(Gold) = 0');
    // MySQL reads "Olympic_medal_countsWHERE Gold" as a table and its alias, and stops at "=".
    expect(runSql(db, gold)).toBe(
      "1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '= 0 AND Nation = 'Iran';' at line 1",
    );
    db.close();
  });
});
