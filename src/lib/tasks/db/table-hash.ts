/**
 * AgentBench's table fingerprint for INSERT/UPDATE/DELETE tasks, computed the way its MySQL query does:
 * per row `substring(md5(concat_ws(',', cols...)), 1, 5)`, the row hashes sorted and joined with ','
 * (MySQL's group_concat, cut at its default 1024-character limit), then md5 of that; several tables'
 * hashes are sorted and joined with '_'.
 */
import type { SqlDatabase } from '../../runtimes/sqlite';
import { quoteIdent } from '../../runtimes/sqlite';
import { md5Hex } from './md5';

const GROUP_CONCAT_MAX_LEN = 1024;

export interface TableShape {
  name: string;
  columns: string[];
}

export function tableHash(db: SqlDatabase, table: TableShape): string | null {
  const sql = `SELECT ${table.columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(table.name)}`;
  const [result] = db.exec(sql);
  const rows = result?.values ?? [];
  if (rows.length === 0) return null; // MD5(NULL) in MySQL
  const rowHashes = rows
    .map((row) =>
      md5Hex(
        row
          .filter((cell) => cell !== null)
          .map((cell) => String(cell))
          .join(','),
      ).slice(0, 5),
    )
    .sort();
  return md5Hex(rowHashes.join(',').slice(0, GROUP_CONCAT_MAX_LEN));
}

export function tablesHash(db: SqlDatabase, tables: TableShape[]): string {
  return tables
    .map((t) => tableHash(db, t) ?? 'None')
    .sort()
    .join('_');
}
