/**
 * Cross-checks the DB environment (sql.js with the MySQL rewrites of src/lib/tasks/db/mysql-compat.ts) against a
 * real MySQL/MariaDB server, on the 60 dbbench dev tables loaded the way AgentBench loads them (every column
 * TEXT, every value inserted as Python's str() of it). For each task it runs the gold statement, the expert's
 * repaired statement where there is one, and a battery of probes per column (text compared with numbers,
 * BETWEEN, IN, function results compared with numbers, SUM/AVG of text, text ordering, MIN/MAX), and prints
 * every query whose result differs, then a summary per probe kind. Where both fail, the error texts are compared
 * as the harness shows them (`runSql`, "errno (sqlstate): message"; kind "error text"). Modifying tasks also
 * compare AgentBench's table-hash query computed by the server with the stored answer_md5.
 *
 *   MYSQL_CMD='mariadb -S /tmp/mysql.sock -u root' npx tsx scripts/db-mysql-crosscheck.ts [--verbose]
 *
 * Needs a server the command can reach, with rights to create and drop databases named dbx_*. Expected
 * differences: db-06's table has a column with an empty name, which MySQL refuses, so all its queries differ;
 * db-08's gold names its table with a string (MySQL rejects it); and the text collation (MySQL ignores accents
 * and orders punctuation its own way; SQLite's NOCASE only folds ASCII case) shows in GROUP BY, MIN/MAX and
 * ORDER BY of text.
 */
import { spawnSync } from 'node:child_process';
import { envModule } from '../src/lib/tasks/db/index';
import { goldStatement, isModifying, loadEntry, runSql, type DbBenchEntry } from '../src/lib/tasks/db/env';
import { GOLD_REPAIRS } from '../src/lib/tasks/db/gold-repairs';
import { mysqlToSqlite } from '../src/lib/tasks/db/mysql-compat';
import { tablesHash } from '../src/lib/tasks/db/table-hash';

const cmd = process.env.MYSQL_CMD;
if (!cmd) {
  console.error('Set MYSQL_CMD to a mysql/mariadb client command line, e.g. "mariadb -S /tmp/mysql.sock -u root".');
  process.exit(2);
}
const verbose = process.argv.includes('--verbose');

type Rows = string[][];
const bt = (name: string) => `\`${name.replaceAll('`', '``')}\``;
const lit = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const pyStr = (v: unknown) => (v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

function tablesOf(entry: DbBenchEntry) {
  return Array.isArray(entry.table) ? entry.table : [entry.table];
}

/** Runs `queries` on the server after loading the entry; one result (rows, or an error line) per query. */
function runOnServer(db: string, entry: DbBenchEntry, queries: string[]): (Rows | string)[] {
  let script = `DROP DATABASE IF EXISTS ${bt(db)}; CREATE DATABASE ${bt(db)} CHARACTER SET utf8mb4; USE ${bt(db)};\n`;
  for (const t of tablesOf(entry)) {
    const cols = t.table_info.columns.map((c) => c.name);
    script += `CREATE TABLE IF NOT EXISTS ${bt(t.table_name)} (${cols.map((c) => `${bt(c)} TEXT`).join(',')});\n`;
    if (t.table_info.rows.length) {
      script += `INSERT INTO ${bt(t.table_name)} (${cols.map(bt).join(',')}) VALUES ${t.table_info.rows
        .map((r) => `(${r.map((v) => lit(pyStr(v))).join(',')})`)
        .join(',')};\n`;
    }
  }
  queries.forEach((q, i) => {
    script += `SELECT '@@${i}';\n${q.replace(/;\s*$/, '')};\n`;
  });
  script += `SELECT '@@end'; DROP DATABASE ${bt(db)};\n`;
  const res = spawnSync('bash', ['-c', `${cmd} --force -B -N --unbuffered 2>&1`], { input: script, encoding: 'utf8' });
  const out: (Rows | string)[] = queries.map(() => []);
  let current = -1;
  for (const line of res.stdout.split('\n')) {
    const m = /^@@(\d+|end)$/.exec(line);
    if (m) {
      current = m[1] === 'end' ? -1 : Number(m[1]);
      continue;
    }
    if (current < 0) continue; // an empty line inside a result is a row holding ''
    if (/^ERROR \d+/.test(line)) out[current] = line;
    else if (Array.isArray(out[current])) (out[current] as Rows).push(line.split('\t'));
  }
  return out;
}

/** The client's "ERROR 1054 (42S22) at line 7: msg" as mysql.connector's str() prints it: "1054 (42S22): msg". */
function connectorText(clientLine: string): string {
  return clientLine.replace(/^ERROR (\d+) \((\w+)\)(?: at line \d+)?: /, '$1 ($2): ');
}

/** The server's batch output unescapes nothing: \\t, \\n and \\\\ stand for tab, newline, backslash. */
function unescapeCell(s: string): string | null {
  if (s === 'NULL') return null;
  return s.replace(/\\([tn0\\])/g, (_, c: string) => ({ t: '\t', n: '\n', '0': '\0', '\\': '\\' })[c] ?? c);
}

function sameCell(a: string | null, b: unknown): boolean {
  if (a === null || b === null) return a === null && b === null;
  const bs = String(b);
  if (a === bs) return true;
  const [x, y] = [Number(a), Number(bs)];
  if (a.trim() !== '' && bs.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) {
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  }
  return false;
}

function sameRows(server: Rows, ours: unknown[][], ordered: boolean): boolean {
  if (server.length !== ours.length) return false;
  const s = server.map((r) => r.map(unescapeCell));
  const o = ours.map((r) => r.map((c) => (c === null ? null : String(c))));
  const key = (r: (string | null)[]) => JSON.stringify(r.map((c) => (c !== null && c.trim() !== '' && Number.isFinite(Number(c)) ? Number(c) : c)));
  if (!ordered) {
    s.sort((a, b) => key(a).localeCompare(key(b)));
    o.sort((a, b) => key(a).localeCompare(key(b)));
  }
  return s.every((r, i) => r.length === o[i].length && r.every((c, j) => sameCell(c, o[i][j])));
}

interface Probe {
  kind: string;
  sql: string;
  ordered?: boolean;
}

function probes(entry: DbBenchEntry): Probe[] {
  const list: Probe[] = [];
  for (const t of tablesOf(entry)) {
    const T = bt(t.table_name);
    for (const col of t.table_info.columns) {
      const c = bt(col.name);
      const where = (kind: string, cond: string) => list.push({ kind, sql: `SELECT COUNT(*) FROM ${T} WHERE ${cond}` });
      where('col > int', `${c} > 10`);
      where('col = 0', `${c} = 0`);
      where('col < decimal', `${c} < 2000.5`);
      where('col <> int', `${c} <> 1`);
      where('int < col', `10 < ${c}`);
      where('-int < col', `-5 < ${c}`);
      where('qualified col >= int', `${T}.${c} >= 1990`);
      where('BETWEEN', `${c} BETWEEN 1 AND 100`);
      where('NOT BETWEEN', `${c} NOT BETWEEN 1 AND 100`);
      where('IN', `${c} IN (1, 2, 3, 1990)`);
      where('NOT IN', `${c} NOT IN (1, 2, 3)`);
      where('REPLACE(col) > int', `REPLACE(${c}, ',', '') > 1000`);
      where('TRIM(col) = int', `TRIM(${c}) = 1`);
      where('CASE = int', `CASE WHEN ${c} = '' THEN '0' ELSE ${c} END = 1`);
      where('col = string', `${c} = '1'`);
      where('col > string', `${c} > '5'`);
      where('col + 0 > int', `${c} + 0 > 10`);
      list.push({ kind: 'MAX(col) > int', sql: `SELECT MAX(${c}) > 5, MIN(${c}) < 5 FROM ${T}` });
      list.push({ kind: 'HAVING COUNT', sql: `SELECT ${c}, COUNT(*) FROM ${T} GROUP BY ${c} HAVING COUNT(*) > 1` });
      list.push({ kind: 'SUM/AVG(col)', sql: `SELECT SUM(${c}), AVG(${c}) FROM ${T}` });
      list.push({ kind: 'col > (SELECT AVG)', sql: `SELECT COUNT(*) FROM ${T} WHERE ${c} > (SELECT AVG(${c}) FROM ${T})` });
      list.push({ kind: 'MIN/MAX(col) text', sql: `SELECT MIN(${c}), MAX(${c}) FROM ${T}` });
      list.push({ kind: 'ORDER BY col', sql: `SELECT ${c} FROM ${T} ORDER BY ${c}, 1`, ordered: true });
    }
  }
  return list;
}

const mismatches = new Map<string, number>();
const totals = new Map<string, number>();
let dbIndex = 0;
for (const task of envModule.tasks) {
  const entry = task.data;
  const queries: Probe[] = [];
  const gold = goldStatement(entry)!;
  if (!isModifying(entry)) {
    queries.push({ kind: 'gold SELECT', sql: gold });
    if (GOLD_REPAIRS[task.id]) queries.push({ kind: 'repaired gold', sql: GOLD_REPAIRS[task.id].sql });
  }
  queries.push(...probes(entry));
  const dbName = `dbx_${dbIndex++}`;
  const server = runOnServer(dbName, entry, queries.map((q) => q.sql));
  const db = await loadEntry(entry);
  queries.forEach((q, i) => {
    // What the harness shows (an error text, or the rows' repr); the rows themselves for comparing values.
    const harness = runSql(db, q.sql, dbName);
    let ours: unknown[][] | string = harness;
    if (harness.startsWith('[')) {
      try {
        ours = db.exec(mysqlToSqlite(q.sql)).at(-1)?.values ?? [];
      } catch (e) {
        ours = `error: ${(e as Error).message}`;
      }
    }
    const s = server[i];
    const same = typeof s === 'string' || typeof ours === 'string' ? typeof s === 'string' && typeof ours === 'string' : sameRows(s, ours, !!q.ordered);
    if (typeof s === 'string' && typeof ours === 'string') {
      totals.set('error text', (totals.get('error text') ?? 0) + 1);
      if (harness !== connectorText(s)) {
        mismatches.set('error text', (mismatches.get('error text') ?? 0) + 1);
        console.log(`${task.id} [error text] ${q.sql}\n  server: ${connectorText(s)}\n  ours:   ${harness}`);
      }
    }
    totals.set(q.kind, (totals.get(q.kind) ?? 0) + 1);
    if (!same) {
      mismatches.set(q.kind, (mismatches.get(q.kind) ?? 0) + 1);
      if (verbose || q.kind.includes('gold')) {
        console.log(`${task.id} [${q.kind}] ${q.sql}\n  server: ${JSON.stringify(s).slice(0, 300)}\n  ours:   ${JSON.stringify(ours).slice(0, 300)}`);
      }
    }
  });
  if (isModifying(entry)) {
    const t = tablesOf(entry);
    const hashQuery = (name: string, cols: string[]) =>
      `select md5(group_concat(rowhash order by rowhash)) as hash from (SELECT substring(MD5(CONCAT_WS(',', ${cols
        .map(bt)
        .join(', ')})), 1, 5) AS rowhash FROM ${bt(name)}) as sub`;
    const [, hashRows] = runOnServer(`dbx_${dbIndex++}`, entry, [gold, hashQuery(t[0].table_name, t[0].table_info.columns.map((c) => c.name))]);
    const serverHash = Array.isArray(hashRows) ? hashRows[0]?.[0] : hashRows;
    db.exec(mysqlToSqlite(gold));
    const ourHash = tablesHash(db, t.map((x) => ({ name: x.table_name, columns: x.table_info.columns.map((c) => c.name) })));
    const stored = entry.answer_md5?.match(/[0-9a-f]{32}/)?.[0];
    totals.set('md5 after gold', (totals.get('md5 after gold') ?? 0) + 1);
    if (!(serverHash === stored && ourHash === stored)) {
      mismatches.set('md5 after gold', (mismatches.get('md5 after gold') ?? 0) + 1);
      console.log(`${task.id} md5: server ${serverHash}, ours ${ourHash}, stored ${stored}`);
    }
  }
  db.close();
}
console.log('\nprobe kind: queries whose result differs from the server / queries');
for (const [kind, total] of totals) console.log(`  ${kind}: ${mismatches.get(kind) ?? 0} / ${total}`);
