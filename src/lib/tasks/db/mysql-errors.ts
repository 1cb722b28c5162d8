/**
 * SQLite's error messages rewritten as AgentBench's harness showed MySQL 8's: `str(e)` of a mysql.connector error is
 * "errno (sqlstate): message" (AgentBench.old dbbench/Interaction.py:361-364). The mapping covers what the DB dev
 * tasks and typical model SQL produce; a message with no counterpart here passes through as SQLite wrote it.
 * Where the two servers part: MySQL's parser rejects some statements SQLite accepts (double-quoted or [bracketed]
 * names, which MySQL reads as strings or does not know), so MySQL may report a syntax error where SQLite reports a
 * missing column, and its "near '...'" starts where MySQL's parser stopped, which we place at SQLite's token.
 */

const SYNTAX = "1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '%s' at line 1";

/** MySQL's `near '%-.80s'`: the statement from the failing token on, at most 80 characters. */
function near(sql: string, from: number): string {
  return Array.from(sql.slice(from)).slice(0, 80).join('');
}

/** Where `token` first stands as a whole token in `sql` (case-insensitive), or -1. */
function tokenAt(sql: string, token: string): number {
  const lower = sql.toLowerCase();
  const t = token.toLowerCase();
  for (let i = lower.indexOf(t); i !== -1; i = lower.indexOf(t, i + 1)) {
    const before = sql[i - 1] ?? ' ';
    const after = sql[i + t.length] ?? ' ';
    const word = (c: string) => /\w/.test(c);
    if (!(word(t[0]) && word(before)) && !(word(t.at(-1)!) && word(after))) return i;
  }
  return -1;
}

/** The clause MySQL names for an unknown column: the last clause keyword before its first use. */
function clauseOf(sql: string, column: string): string {
  const at = tokenAt(sql, column);
  const head = (at === -1 ? sql : sql.slice(0, at)).toLowerCase();
  const clauses: [RegExp, string][] = [
    [/\bselect\b/g, 'field list'],
    [/\bset\b/g, 'field list'],
    [/\bwhere\b/g, 'where clause'],
    [/\border\s+by\b/g, 'order clause'],
    [/\bgroup\s+by\b/g, 'group statement'],
    [/\bhaving\b/g, 'having clause'],
    [/\bon\b/g, 'on clause'],
  ];
  let best = { index: -1, name: 'field list' };
  for (const [re, name] of clauses) {
    for (const m of head.matchAll(re)) if (m.index > best.index) best = { index: m.index, name };
  }
  return best.name;
}

export function mysqlErrorText(sqliteMessage: string, sql: string, database: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^no such column: (?:[^.\s]+\.)?(.+)$/.exec(sqliteMessage))) {
    return `1054 (42S22): Unknown column '${m[1]}' in '${clauseOf(sql, m[1])}'`;
  }
  if ((m = /^no such table: (?:main\.)?(.+)$/.exec(sqliteMessage))) return `1146 (42S02): Table '${database}.${m[1]}' doesn't exist`;
  if ((m = /^near "([\s\S]*)": syntax error$/.exec(sqliteMessage))) {
    const at = tokenAt(sql, m[1]);
    return SYNTAX.replace('%s', at === -1 ? '' : near(sql, at));
  }
  if ((m = /^unrecognized token: "([\s\S]*)"$/.exec(sqliteMessage))) {
    const at = sql.indexOf(m[1]);
    return SYNTAX.replace('%s', at === -1 ? '' : near(sql, at));
  }
  if (/^incomplete input$/.test(sqliteMessage)) return SYNTAX.replace('%s', '');
  if ((m = /^ambiguous column name: (?:[^.\s]+\.)?(.+)$/.exec(sqliteMessage))) {
    return `1052 (23000): Column '${m[1]}' in ${clauseOf(sql, m[1])} is ambiguous`;
  }
  if (/has \d+ columns but \d+ values were supplied|\d+ values for \d+ columns/.test(sqliteMessage)) {
    return "1136 (21S01): Column count doesn't match value count at row 1";
  }
  if ((m = /^no such function: (.+)$/.exec(sqliteMessage))) return `1305 (42000): FUNCTION ${database}.${m[1]} does not exist`;
  if ((m = /^table (.+) already exists$/.exec(sqliteMessage))) return `1050 (42S01): Table '${m[1].replace(/^"|"$/g, '')}' already exists`;
  if (/^misuse of aggregate/.test(sqliteMessage)) return '1111 (HY000): Invalid use of group function';
  return sqliteMessage;
}
