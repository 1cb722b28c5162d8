/**
 * SQLite compiled to wasm (sql.js). The model's SQL runs inside the wasm engine against an in-memory
 * database; it has no file system, network or host access.
 */
import initSqlJs from 'sql.js';
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
  close(): void;
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
