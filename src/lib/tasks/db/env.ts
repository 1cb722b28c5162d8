import type { Action, StepResult, TaskEnvironment, TaskSpec, EnvView } from '../types';
import { execBounded, openDatabase, quoteIdent, seedSqlRandomness, type SqlDatabase } from '../../runtimes/sqlite';
import { FIXED_EPISODE, atTime, stepTime, type EpisodeSeed } from '../../runtimes/determinism';
import { capText } from '../../runtimes/output';
import { answersMatch } from './answer-match';
import { mysqlErrorText, mysqlOnlySyntaxError, mysqlSyntaxErrorText, sqliteSyntaxErrorIndex } from './mysql-errors';
import { originalAnswerMatch } from './python-literal';
import { pyRows } from './python-repr';
import { mysqlToSqlite, registerMysqlFunctions, rewriteMysqlStringEscapes } from './mysql-compat';
import { tablesHash, type TableShape } from './table-hash';

/** One AgentBench dbbench entry, as its JSONL holds it. */
export interface DbBenchEntry {
  description: string;
  label: unknown[];
  type: string[];
  table: DbBenchTable | DbBenchTable[];
  sql?: { query: string };
  add_description?: string;
  evidence?: string;
  answer_md5?: string;
  [key: string]: unknown;
}

export interface DbBenchTable {
  table_name: string;
  table_info: { columns: { name: string; type?: string }[]; rows: unknown[][] };
}

export interface DbTask extends TaskSpec {
  env: 'db';
  data: DbBenchEntry;
}

const MODIFYING = new Set(['INSERT', 'UPDATE', 'DELETE']);

/**
 * Checks that `value` has the fields an AgentBench dbbench entry needs here and returns it as a task.
 * Throws a message naming the first missing or malformed field.
 */
export function dbTaskFromEntry(value: unknown, id: string): DbTask {
  const fail = (what: string): never => {
    throw new Error(`dbbench entry ${id}: ${what} (expected an AgentBench dbbench JSONL entry).`);
  };
  if (!value || typeof value !== 'object') fail('not an object');
  const e = value as Record<string, unknown>;
  if (typeof e.description !== 'string') fail('"description" must be a string');
  if (!Array.isArray(e.type) || typeof e.type[0] !== 'string') fail('"type" must be a list like ["other"] or ["INSERT"]');
  if (!Array.isArray(e.label)) fail('"label" must be a list');
  const tables = Array.isArray(e.table) ? e.table : [e.table];
  tables.forEach((t, i) => {
    const table = t as Partial<DbBenchTable> | undefined;
    if (typeof table?.table_name !== 'string') fail(`table ${i}: "table_name" must be a string`);
    const info = table!.table_info;
    if (!Array.isArray(info?.columns) || !info!.columns.every((c) => typeof c?.name === 'string')) fail(`table ${i}: "table_info.columns" must list {name}`);
    if (!Array.isArray(info?.rows) || !info!.rows.every((r) => Array.isArray(r) && r.length === info!.columns.length)) {
      fail(`table ${i}: every row of "table_info.rows" must have one value per column`);
    }
  });
  const entry = e as DbBenchEntry;
  if (isModifying(entry) && !goldStatement(entry) && typeof entry.answer_md5 !== 'string') {
    fail('a modifying task needs its gold statement ("sql.query" or label[0]) or "answer_md5"');
  }
  const title = entry.description.length > 90 ? `${entry.description.slice(0, 87)}...` : entry.description;
  return { id, env: 'db', title, data: entry };
}

export function isModifying(entry: DbBenchEntry): boolean {
  return MODIFYING.has(entry.type[0]);
}

function tablesOf(entry: DbBenchEntry): DbBenchTable[] {
  return Array.isArray(entry.table) ? entry.table : [entry.table];
}

function shapes(entry: DbBenchEntry): TableShape[] {
  return tablesOf(entry).map((t) => ({ name: t.table_name, columns: t.table_info.columns.map((c) => c.name) }));
}

/** The statement whose effect a modifying task must reproduce: the gold `sql`, else the label's statement. */
export function goldStatement(entry: DbBenchEntry): string | undefined {
  if (entry.sql?.query) return entry.sql.query;
  return isModifying(entry) && typeof entry.label[0] === 'string' ? entry.label[0] : undefined;
}

/** The first user message body, as AgentBench builds it from the entry. */
export function taskText(entry: DbBenchEntry): string {
  let text = '';
  if (entry.evidence) text += `Evidence about the question: ${entry.evidence}\n`;
  text += entry.description;
  if (entry.add_description) text += `\n${entry.add_description}`;
  return text;
}

/**
 * Loads the entry's tables the way AgentBench does: every column TEXT, every value as its string form.
 * Columns compare case-insensitively, like MySQL's default collation; comparisons of text with a number are
 * made numeric, as in MySQL, by the rewrite in mysql-compat.ts, whose function is registered here.
 */
export async function loadEntry(entry: DbBenchEntry): Promise<SqlDatabase> {
  const db = await openDatabase();
  registerMysqlFunctions(db);
  for (const table of tablesOf(entry)) {
    const cols = table.table_info.columns.map((c) => c.name);
    db.run(
      `CREATE TABLE IF NOT EXISTS ${quoteIdent(table.table_name)} (${cols
        .map((c) => `${quoteIdent(c)} TEXT COLLATE NOCASE`)
        .join(', ')})`,
    );
    const insert = `INSERT INTO ${quoteIdent(table.table_name)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols
      .map(() => '?')
      .join(', ')})`;
    for (const row of table.table_info.rows) db.run(insert, row.map((v) => pyStr(v)));
  }
  return db;
}

/** Python's str() of a JSON value, as AgentBench's loader applies before inserting. */
function pyStr(v: unknown): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0)) return String(v);
  return String(v);
}

const SYNTAX_ERROR = /syntax error|incomplete input|unrecognized token/;

/** What AgentBench's harness shows for `sql` in database `database`: the rows, or MySQL's error text. */
export function runSql(db: SqlDatabase, sql: string, database = 'db'): string {
  const mysqlStops = mysqlOnlySyntaxError(sql);
  if (mysqlStops !== -1) {
    // MySQL rejects it unrun, unless SQLite's parser already fails before that point.
    const sqliteStops = sqliteSyntaxErrorIndex(parseError(db, sql) ?? '', sql);
    return mysqlSyntaxErrorText(sql, sqliteStops !== undefined && sqliteStops < mysqlStops ? sqliteStops : mysqlStops);
  }
  const result = runSqlite(db, sql);
  return result.ok ? result.text : mysqlErrorText(result.text, sql, database);
}

/** SQLite's message when the statement as written does not compile, without running it. */
function parseError(db: SqlDatabase, sql: string): string | undefined {
  try {
    db.prepare(rewriteMysqlStringEscapes(sql)).free();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function runSqlite(db: SqlDatabase, sql: string): { ok: boolean; text: string } {
  const rewritten = mysqlToSqlite(sql);
  try {
    const results = execBounded(db, rewritten);
    const last = results.at(-1);
    return { ok: true, text: pyRows(last ? last.values : []) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // A statement that does not parse as written gets SQLite's message about what was written, not about the
    // comparison rewrite (which can only move the point where a broken statement breaks).
    const written = rewriteMysqlStringEscapes(sql);
    if (written !== rewritten && SYNTAX_ERROR.test(message)) {
      try {
        db.prepare(written).free();
      } catch (e2) {
        const original = e2 instanceof Error ? e2.message : String(e2);
        if (SYNTAX_ERROR.test(original)) return { ok: false, text: original };
      }
    }
    return { ok: false, text: message };
  }
}

/** The answer as the harness held it: the text after "Final Answer:" (a lenient parse's list is written back). */
function answerText(answer: string | string[]): string {
  return typeof answer === 'string' ? answer : JSON.stringify(answer);
}

export class DbEnvironment implements TaskEnvironment<DbTask> {
  readonly id = 'db' as const;
  private db: SqlDatabase | undefined;
  private task: DbTask | undefined;
  private done = false;

  private episode = FIXED_EPISODE;
  private steps = 0;

  /** `episode` seeds random() and randomblob() and sets the clock ('now' reads its start + 1 s per step). */
  async reset(task: DbTask, episode: EpisodeSeed = FIXED_EPISODE): Promise<string> {
    this.db?.close();
    this.task = task;
    this.done = false;
    this.episode = episode;
    this.steps = 0;
    this.db = await loadEntry(task.data);
    seedSqlRandomness(this.db, episode.seed);
    return taskText(task.data);
  }

  async step(action: Action): Promise<StepResult> {
    const { db, task } = this.started();
    if (this.done) return { observation: 'The task is over; reset to start another.', done: true, reward: 0 };
    if (action.type === 'tool' && action.name === 'sql' && typeof action.args === 'string') {
      const sql = action.args;
      const table = tablesOf(task.data)[0].table_name;
      const output = atTime(stepTime(this.episode, this.steps++), () => runSql(db, sql, table));
      return { observation: capText(output), done: false, reward: 0 };
    }
    if (action.type === 'final') {
      this.done = true;
      const reward = (await this.score(db, task.data, action.answer)) ? 1 : 0;
      // AgentBench.old (2023) compared a SELECT answer as its own text; a modifying task is scored by its table alone.
      const strictReward = isModifying(task.data) ? reward : originalAnswerMatch(answerText(action.answer), task.data.label) ? 1 : 0;
      return { observation: 'The answer is recorded.', done: true, reward, strictReward };
    }
    return {
      observation: 'Unsupported action: use "Action: Operation" with one SQL statement, or "Action: Answer".',
      done: false,
      reward: 0,
    };
  }

  async view(): Promise<EnvView> {
    const { db, task } = this.started();
    return {
      kind: 'tables',
      tables: shapes(task.data).map((t) => {
        const [r] = db.exec(`SELECT * FROM ${quoteIdent(t.name)} LIMIT 50`);
        return { name: t.name, columns: t.columns, rows: r?.values ?? [] };
      }),
    };
  }

  private async score(db: SqlDatabase, entry: DbBenchEntry, answer: string | string[]): Promise<boolean> {
    if (!isModifying(entry)) return answersMatch(answer, entry.label);
    const got = tablesHash(db, shapes(entry));
    const gold = goldStatement(entry);
    // AgentBench stores the expected hash as the MySQL row text, e.g. "[('09aa…',)]".
    if (!gold) return got === entry.answer_md5?.match(/[0-9a-f]{32}/)?.[0];
    const reference = await loadEntry(entry);
    try {
      reference.exec(mysqlToSqlite(gold));
      return got === tablesHash(reference, shapes(entry));
    } finally {
      reference.close();
    }
  }

  private started(): { db: SqlDatabase; task: DbTask } {
    if (!this.db || !this.task) throw new Error('The DB environment has no task: call reset(task) first.');
    return { db: this.db, task: this.task };
  }
}
