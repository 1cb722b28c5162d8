/**
 * SQLite's error messages rewritten as AgentBench's harness showed MySQL 8's: `str(e)` of a mysql.connector error is
 * "errno (sqlstate): message" (AgentBench.old dbbench/Interaction.py:361-364). The mapping covers what the DB dev
 * tasks and typical model SQL produce; a message with no counterpart here passes through as SQLite wrote it.
 * Where the two servers part: MySQL's parser rejects some statements SQLite accepts; `mysqlOnlySyntaxError` finds
 * those the dev tables provoke (a `[bracketed]` name, a column named after a word MySQL 8 reserves: `Rank`, the `of`
 * in an unquoted "Presentation of Credentials"), and the syntax error is then placed where MySQL's parser stops.
 * Elsewhere its "near '...'" starts at SQLite's failing token. Double-quoted names are strings to MySQL, not errors.
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

/** MySQL's 1064 text for a statement whose parse stops at `index` of `sql`. */
export function mysqlSyntaxErrorText(sql: string, index: number): string {
  return SYNTAX.replace('%s', near(sql, index));
}

/** Where SQLite's syntax error `sqliteMessage` stands in `sql`, or undefined when it is no syntax error. */
export function sqliteSyntaxErrorIndex(sqliteMessage: string, sql: string): number | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^near "([\s\S]*)": syntax error$/.exec(sqliteMessage))) {
    const at = tokenAt(sql, m[1]);
    return at === -1 ? sql.length : at;
  }
  if ((m = /^unrecognized token: "([\s\S]*)"$/.exec(sqliteMessage))) {
    const at = sql.indexOf(m[1]);
    return at === -1 ? sql.length : at;
  }
  if (/^incomplete input$/.test(sqliteMessage)) return sql.length;
  return undefined;
}

export function mysqlErrorText(sqliteMessage: string, sql: string, database: string): string {
  const syntaxAt = sqliteSyntaxErrorIndex(sqliteMessage, sql);
  if (syntaxAt !== undefined) return mysqlSyntaxErrorText(sql, syntaxAt);
  let m: RegExpExecArray | null;
  if ((m = /^no such column: (?:[^.\s]+\.)?(.+)$/.exec(sqliteMessage))) {
    return `1054 (42S22): Unknown column '${m[1]}' in '${clauseOf(sql, m[1])}'`;
  }
  if ((m = /^no such table: (?:main\.)?(.+)$/.exec(sqliteMessage))) return `1146 (42S02): Table '${database}.${m[1]}' doesn't exist`;
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

interface Token {
  /** Upper-cased for a bare word; `name` for a backticked name, `string` for quoted text; else the character. */
  t: string;
  at: number;
}

/** MySQL's lexer, as far as the scan below needs it: quoted text and comments are skipped as one token. */
function mysqlTokens(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? ' '))) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c || (sql[j] === '\\' && c !== '`') ? 2 : 1;
      out.push({ t: c === '`' ? 'name' : 'string', at: i });
      i = j + 1;
    } else if (/[\w$\u0080-\uffff]/.test(c)) {
      const m = /^[\w$\u0080-\uffff]+/.exec(sql.slice(i))!;
      out.push({ t: m[0].toUpperCase(), at: i });
      i += m[0].length;
    } else {
      out.push({ t: c, at: i });
      i++;
    }
  }
  return out;
}

// MySQL 8.0's reserved window-function names (mysqld-version-reference keywords-8-0, "added in 8.0.2 (reserved)"):
// the grammar reads each only as NAME '(' ')' OVER ..., so a bare one fails at the token after it
// (sql_yacc.yy window_func_call), and where only a name may stand it fails at the word itself.
const WINDOW_FUNCTIONS = new Set(['RANK', 'DENSE_RANK', 'ROW_NUMBER', 'PERCENT_RANK', 'CUME_DIST', 'NTILE', 'LAG', 'LEAD', 'FIRST_VALUE', 'LAST_VALUE', 'NTH_VALUE']);
// Reserved words of MySQL 8.0 that no part of a SELECT, INSERT, UPDATE or DELETE starts or continues with (OF but in
// FOR UPDATE OF / FOR SHARE OF): the parser stops at the word. They stand in dev-table names ("Presentation of
// Credentials", "Out of", "Moved to").
const NOT_IN_DML = new Set(['OF', 'OUT', 'TO', 'CALL', 'PRIMARY']);
/** Reserved words that read only as a function, NAME '(' ...: CHAR(...) (function_call_keyword), DATABASE(). */
const CALL_ONLY = new Set([...WINDOW_FUNCTIONS, 'CHAR', 'CHARACTER', 'DATABASE']);
const DML = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH', '(']);
/** Words after which MySQL wants a name: a table, or (AS) an alias, which may also be a string. */
const TABLE_NEXT = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE']);

/**
 * Where MySQL 8's parser stops on a statement SQLite parses (or fails on later), or -1: a `[` (no MySQL token
 * starts with it); in a SELECT, INSERT, UPDATE or DELETE also a word of NOT_IN_DML (`OF` reserved since 8.0.1), a
 * bare CALL_ONLY word (a `Rank` column: at the token after it, or at the word where only a name may stand), a quoted
 * string where a table or column name must stand (`FROM "t"`, `INSERT INTO t ("a")`, `SET "a" = 1`). A word after
 * `.` is a name to MySQL whatever it spells.
 */
export function mysqlOnlySyntaxError(sql: string): number {
  const tokens = mysqlTokens(sql);
  const head = tokens[0]?.t;
  const dml = DML.has(head ?? '');
  let depth = 0;
  let insertColumns = false;
  let setTarget = false;
  for (let k = 0; k < tokens.length; k++) {
    const { t, at } = tokens[k];
    const prev = tokens[k - 1]?.t;
    if (t === '[') return at;
    if (t === '(') {
      depth++;
      if (depth === 1 && (head === 'INSERT' || head === 'REPLACE') && !tokens.slice(0, k).some((x) => x.t === 'VALUES' || x.t === 'SELECT' || x.t === 'VALUE')) insertColumns = true;
      continue;
    }
    if (t === ')') {
      if (--depth === 0) insertColumns = false;
      continue;
    }
    if (head === 'UPDATE' && depth === 0) {
      if (t === 'SET') setTarget = true;
      else if (t === 'WHERE' || t === 'ORDER' || t === 'LIMIT') setTarget = false;
    }
    if (prev === '.' || !dml) continue;
    const nameOnly = TABLE_NEXT.has(prev ?? '') || (insertColumns && (prev === '(' || prev === ',')) || (setTarget && depth === 0 && (prev === 'SET' || prev === ','));
    if (t === 'string' && nameOnly) return at;
    if (NOT_IN_DML.has(t) && !(t === 'OF' && tokens[k - 2]?.t === 'FOR' && (prev === 'UPDATE' || prev === 'SHARE'))) return at;
    if (CALL_ONLY.has(t)) {
      const next = tokens[k + 1]?.t;
      // CAST(x AS CHAR), CONVERT(x, CHAR), CHARACTER SET: the type, not the function.
      if ((t === 'CHAR' || t === 'CHARACTER') && (next === 'SET' || (depth > 0 && (prev === 'AS' || prev === ',')))) continue;
      if (nameOnly || prev === 'AS') return at;
      if (next !== '(') return tokens[k + 1]?.at ?? sql.length;
    }
  }
  return -1;
}
