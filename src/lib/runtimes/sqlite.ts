/**
 * SQLite compiled to wasm (sql.js). The model's SQL runs inside the wasm engine against an in-memory
 * database; it has no file system, network or host access.
 */
import initSqlJs from 'sql.js';
import { seededRandom } from './determinism';
import { wasmAssetUrls } from './wasm-assets';

export interface SqlValueRows {
  columns: string[];
  values: (string | number | null | Uint8Array)[][];
}

/** The slice of sql.js's Database this project uses. */
export interface SqlDatabase {
  exec(sql: string, params?: unknown[]): SqlValueRows[];
  run(sql: string, params?: unknown[]): void;
  getRowsModified(): number;
  /** Compiles the first statement of `sql` without running it (sql.js); throws SQLite's error if it does not compile. */
  prepare(sql: string): { free(): unknown };
  /** Registers a scalar SQL function implemented in JS (sql.js). */
  create_function(name: string, fn: (...args: never[]) => unknown): unknown;
  /** Compiles and yields the statements of `sql` one by one (sql.js). */
  iterateStatements(sql: string): Iterable<SqlStatement>;
  close(): void;
}

export interface SqlStatement {
  step(): boolean;
  get(): (string | number | null | Uint8Array)[];
  getColumnNames(): string[];
  free(): unknown;
}

interface SqlJsStatic {
  Database: new () => SqlDatabase;
}

let sqlJsPromise: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!sqlJsPromise) {
    const url = wasmAssetUrls().sqlite;
    sqlJsPromise = initSqlJs(url ? { locateFile: () => url } : undefined) as Promise<SqlJsStatic>;
  }
  return sqlJsPromise;
}

/** SQLite's own heap cap per database: a query that needs more fails with "out of memory". */
export const SQLITE_HEAP_LIMIT_BYTES = 64 * 1024 * 1024;

export async function openDatabase(): Promise<SqlDatabase> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(`PRAGMA hard_heap_limit = ${SQLITE_HEAP_LIMIT_BYTES}`);
  return db;
}

/** Quotes an identifier for SQLite (also accepts MySQL-style names with spaces and punctuation). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The most result data one statement list may hand to JavaScript. sql.js builds every row in JS, outside
 * SQLite's own heap cap, so a cheap query over a recursive CTE could fill gigabytes before the step's time box
 * fires; past this, reading stops. An observation shows 800 characters of a result, so no real answer is near it.
 */
export const SQL_RESULT_BYTE_LIMIT = 8 * 1024 * 1024;

export class SqlResultTooLargeError extends Error {
  override name = 'SqlResultTooLargeError';
  constructor(
    readonly limitBytes: number,
    readonly rowsRead: number,
  ) {
    super(
      `The query's result is larger than ${limitBytes / (1024 * 1024)} MB; reading stopped after ${rowsRead} row${rowsRead === 1 ? '' : 's'}. ` +
        'Select fewer rows or smaller values (LIMIT, WHERE, length(...)).',
    );
  }
}

/** What a value costs in JS: UTF-16 strings, bytes, numbers. */
function valueBytes(value: string | number | null | Uint8Array): number {
  if (typeof value === 'string') return 16 + 2 * value.length;
  if (value instanceof Uint8Array) return 16 + value.byteLength;
  return 8;
}

/**
 * `db.exec(sql)` with a budget: the same results (one entry per statement that returned rows), but it throws
 * `SqlResultTooLargeError` once the rows read so far pass `limitBytes`, leaving the rest unread in SQLite.
 */
export function execBounded(db: SqlDatabase, sql: string, limitBytes = SQL_RESULT_BYTE_LIMIT): SqlValueRows[] {
  const results: SqlValueRows[] = [];
  let bytes = 0;
  let rows = 0;
  for (const statement of db.iterateStatements(sql)) {
    let result: SqlValueRows | undefined;
    while (statement.step()) {
      const row = statement.get();
      rows++;
      for (const value of row) bytes += valueBytes(value);
      if (bytes > limitBytes) throw new SqlResultTooLargeError(limitBytes, rows - 1);
      (result ??= { columns: statement.getColumnNames(), values: [] }).values.push(row);
    }
    if (result) results.push(result);
  }
  return results;
}

/**
 * Replaces SQLite's random() and randomblob(N) on `db` with ones drawn from `seed`, so a replay of the same
 * statements gives the same numbers. randomblob keeps SQLite's heap cap ("out of memory" past it).
 */
export function seedSqlRandomness(db: SqlDatabase, seed: number): void {
  const next = seededRandom(seed);
  db.create_function('random', function random() {
    // SQLite's random() is a signed 64-bit integer; JS numbers carry 53 bits of it.
    return Math.floor((next() * 2 - 1) * Number.MAX_SAFE_INTEGER);
  });
  db.create_function('randomblob', function randomblob(n: number) {
    const length = Math.max(1, Math.floor(Number(n) || 0));
    if (length > SQLITE_HEAP_LIMIT_BYTES) throw new Error('out of memory');
    const words = new Uint32Array(Math.ceil(length / 4));
    for (let i = 0; i < words.length; i++) words[i] = next() * 2 ** 32;
    return new Uint8Array(words.buffer, 0, length);
  });
}
