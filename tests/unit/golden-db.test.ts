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
    expect(at("INSERT INTO skyscrapers_in_Columbus (Rank, Name) VALUES ('1')")).toBe("1136 (21S01): Column count doesn't match value count at row 1");
    db.close();
  });
});
