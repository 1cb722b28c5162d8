/**
 * The DB protocol and environment against the original harness: tests/fixtures/golden/db/ holds what
 * AgentBench.old's dbbench `process` loop, `Container.execute` and `DBBench.metrics` (run by scripts/golden/db.py with
 * a stub MySQL connection) gave scripted agents on dev entry 4, and the 2023 scoring of sample answers.
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import { envModule } from '../../src/lib/tasks/db/index';
import { loadEntry, runSql } from '../../src/lib/tasks/db/env';
import { originalAnswerMatch } from '../../src/lib/tasks/db/python-literal';
import { runGolden, type GoldenEpisode } from './helpers/golden-episode';
import { golden as readGolden } from './helpers/scripted-run';

type DbGolden = GoldenEpisode & { answer: string; correct: number; statements: string[] };
const task = envModule.tasks[3];

describe('DB protocol = AgentBench.old dbbench', () => {
  it.each(['strict', 'lenient'] as const)('the first prompt is the original (%s)', async (mode) => {
    const golden = readGolden<DbGolden>('db', 'episode');
    const { prompts } = await runGolden(getProtocol('db'), await envModule.create(), task, ['Action: Answer\nFinal Answer: ["26"]'], mode);
    expect(prompts[0]).toBe(golden.firstPrompt);
  });

  it('a scripted episode (a MySQL error, a result cut at 800, a reply with no action) equals the original', async () => {
    const golden = readGolden<DbGolden>('db', 'episode');
    const { prompts, history, done } = await runGolden(getProtocol('db'), await envModule.create(), task, golden.replies);
    expect(prompts).toEqual(golden.prompts);
    expect(history).toEqual(golden.history);
    expect(history[6].content.endsWith('[TRUNCATED]')).toBe(true);
    expect(done).toMatchObject({ reason: 'format-error', reward: golden.correct });
  });

  it('an answered episode equals the original and scores as it did', async () => {
    const golden = readGolden<DbGolden>('db', 'answer');
    const { prompts, history, done } = await runGolden(getProtocol('db'), await envModule.create(), task, golden.replies);
    expect(prompts).toEqual(golden.prompts);
    expect(history).toEqual(golden.history);
    expect(done).toMatchObject({ reason: 'final', reward: golden.correct });
    expect(golden.correct).toBe(1);
  });

  it('scores answers as AgentBench.old did in 2023 (exact float equality for one value, sets otherwise)', () => {
    const probes = readGolden<{ answer: string; label: string[]; correct: number }[]>('db', 'scoring');
    // Python's eval runs any expression; only literals are read here (python-literal.ts says so).
    const expressions = new Set([" ['x'] + ['y']"]);
    for (const p of probes) {
      const expected = expressions.has(p.answer) ? false : p.correct === 1;
      expect(originalAnswerMatch(p.answer, p.label), JSON.stringify(p)).toBe(expected);
    }
    expect(probes.filter((p) => !expressions.has(p.answer)).length).toBeGreaterThanOrEqual(25);
  });

  it('errors read as MySQL 8 prints them through mysql.connector', async () => {
    const db = await loadEntry(task.data);
    const at = (sql: string) => runSql(db, sql, 'skyscrapers_in_Columbus');
    expect(at("SELECT Floors FROM skyscrapers_in_Columbus WHERE Nme = 'x'")).toBe("1054 (42S22): Unknown column 'Nme' in 'where clause'");
    expect(at('SELECT Name FROM skyscrapers_in_Columbus ORDER BY Hight')).toBe("1054 (42S22): Unknown column 'Hight' in 'order clause'");
    expect(at('SELECT * FROM towers')).toBe("1146 (42S02): Table 'skyscrapers_in_Columbus.towers' doesn't exist");
    expect(at('SELECT Name FROM skyscrapers_in_Columbus WHERE')).toBe(
      "1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '' at line 1",
    );
    expect(at("INSERT INTO skyscrapers_in_Columbus (Name, Floors) VALUES ('1')")).toBe("1136 (21S01): Column count doesn't match value count at row 1");
    db.close();
  });

  it("stops where MySQL 8's parser stops on what SQLite runs: a bare reserved Rank, a [bracketed] name, an unquoted 'of'", async () => {
    const db = await loadEntry(task.data);
    const before = runSql(db, 'SELECT COUNT(*) FROM skyscrapers_in_Columbus');
    const at = (sql: string) => runSql(db, sql, 'skyscrapers_in_Columbus');
    const near = (text: string) =>
      `1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${text}' at line 1`;
    // RANK is reserved since 8.0.2 and parses only as RANK() OVER (...): the token after it is where MySQL stops.
    expect(at('SELECT Name, Rank FROM skyscrapers_in_Columbus')).toBe(near('FROM skyscrapers_in_Columbus'));
    expect(at('SELECT Name FROM skyscrapers_in_Columbus WHERE Rank = 1;')).toBe(near('= 1;'));
    expect(at('SELECT Name FROM skyscrapers_in_Columbus ORDER BY Rank')).toBe(near(''));
    // Where only a name may stand, at the word itself; nothing runs.
    expect(at("INSERT INTO skyscrapers_in_Columbus (Rank, Name) VALUES ('99', 'x')")).toBe(near("Rank, Name) VALUES ('99', 'x')"));
    expect(at("UPDATE skyscrapers_in_Columbus SET Rank = '0'")).toBe(near("Rank = '0'"));
    expect(at("UPDATE skyscrapers_in_Columbus SET Notes = CONCAT(Notes, Rank)")).toBe(near(')'));
    expect(runSql(db, 'SELECT COUNT(*) FROM skyscrapers_in_Columbus')).toBe(before);
    // Quoted, or after a dot, it is a name.
    expect(at("SELECT `Rank` FROM skyscrapers_in_Columbus WHERE Name = 'LeVeque Tower'")).toBe("[('2',)]");
    expect(at("SELECT s.Rank FROM skyscrapers_in_Columbus s WHERE Name = 'LeVeque Tower'")).toBe("[('2',)]");
    expect(at("SELECT Name FROM skyscrapers_in_Columbus WHERE `Rank` = '2' -- not Rank = 1\n")).toBe("[('LeVeque Tower',)]");
    // Double quotes enclose a string, which cannot name a table or a column; elsewhere it is a string.
    expect(at('SELECT Name FROM "skyscrapers_in_Columbus"')).toBe(near('"skyscrapers_in_Columbus"'));
    expect(at(`UPDATE skyscrapers_in_Columbus SET "Floors" = '0'`)).toBe(near(`"Floors" = '0'`));
    expect(at(`SELECT "Name" FROM skyscrapers_in_Columbus WHERE "Floors" = '47' OR Floors = "47"`)).toBe("[('Name',)]");
    // No MySQL token starts with "[" (db-09's gold); OF is reserved since 8.0.1 (db-01's gold).
    expect(at('SELECT Name FROM [skyscrapers_in_Columbus]')).toBe(near('[skyscrapers_in_Columbus]'));
    expect(at('SELECT Name of Building FROM skyscrapers_in_Columbus')).toBe(near('of Building FROM skyscrapers_in_Columbus'));
    // Other reserved words in dev-table names: CHARACTER reads only as CHAR(...), OUT and TO nowhere in a SELECT.
    expect(at('SELECT Name, Character FROM skyscrapers_in_Columbus')).toBe(near('FROM skyscrapers_in_Columbus'));
    expect(at("SELECT CAST(Floors AS CHAR) FROM skyscrapers_in_Columbus WHERE Name = 'LeVeque Tower'")).toBe("[('47',)]");
    expect(at('SELECT Out of FROM skyscrapers_in_Columbus')).toBe(near('Out of FROM skyscrapers_in_Columbus'));
    expect(at('SELECT Name FROM skyscrapers_in_Columbus WHERE Moved to = 1')).toBe(near('to = 1'));
    // A syntax error SQLite finds first is still the first.
    expect(at('SELECT Name Name2 Rank FROM skyscrapers_in_Columbus')).toBe(near('Rank FROM skyscrapers_in_Columbus'));
    db.close();
  });
});
