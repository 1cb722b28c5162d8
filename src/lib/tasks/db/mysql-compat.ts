/**
 * The model was trained against MySQL. SQLite accepts backtick identifiers and most of the dialect;
 * what it reads otherwise that AgentBench tasks use is string literals: backslash escapes (`'Don\'t'`), and
 * double quotes, which enclose a string in MySQL (sql_mode without ANSI_QUOTES, as AgentBench's server ran) and a
 * name in SQLite (`WHERE "Termination of Mission" = 'x'` compares two strings there). This writes both as
 * SQLite's single-quoted literals, leaving everything else untouched.
 * Below it: the rewrite that makes text compare with numbers as in MySQL (`mysqlToSqlite` runs both).
 */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', Z: '\x1a' };

export function rewriteMysqlStringEscapes(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      const end = sql.indexOf(close, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch !== "'" && ch !== '"') {
      out += ch;
      i++;
      continue;
    }
    // A quoted literal: copy with escapes translated; a doubled quote stays that quote, a ' inside is ''.
    const put = (c: string) => (out += c === "'" ? "''" : c);
    out += "'";
    i++;
    while (i < sql.length) {
      const c = sql[i];
      if (c === '\\' && i + 1 < sql.length) {
        put(ESCAPES[sql[i + 1]] ?? sql[i + 1]);
        i += 2;
      } else if (c === ch && sql[i + 1] === ch) {
        put(ch);
        i += 2;
      } else if (c === ch) {
        out += "'";
        i++;
        break;
      } else {
        put(c);
        i++;
      }
    }
  }
  return out;
}

/**
 * MySQL's string-to-number conversion, as AgentBench's MySQL applies it when a string meets a number in a
 * comparison (and in arithmetic): leading whitespace (space, \t, \n, \v, \f, \r) is skipped, then the longest prefix that reads as a
 * decimal number (optional sign, digits with an optional fraction, optional exponent) is taken; a string with
 * no such prefix is 0. So '12abc' -> 12, 'abc' -> 0, ' 3.5' -> 3.5, '1,234' -> 1, '-2e3' -> -2000.
 * Numbers pass through unchanged and NULL stays NULL. (MySQL 8's strings/dtoa.cc my_strtod_int, reached
 * through my_strntod_8bit for utf8mb4; checked against MariaDB 10.11, which behaves the same.)
 */
export function mysqlToNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const text = value instanceof Uint8Array ? new TextDecoder().decode(value) : String(value);
  const m = /^[ \t\n\v\f\r]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** The SQL function that rewritten comparisons call; registered on every DB by `registerMysqlFunctions`. */
export const MYSQL_NUMBER_FN = 'mysql_number';

/** Registers the functions that rewritten SQL calls (sql.js `create_function`). */
export function registerMysqlFunctions(db: { create_function(name: string, fn: (...args: never[]) => unknown): unknown }): void {
  db.create_function(MYSQL_NUMBER_FN, (v: unknown) => mysqlToNumber(v));
}

/*
 * Text compared with a number.
 *
 * AgentBench creates every column as TEXT (src/server/tasks/dbbench: `` `name` TEXT `` for each column) and
 * inserts each value as a string. MySQL compares a string with a number as two doubles, converting the string
 * with the rule of `mysqlToNumber`: `Goal < 17` keeps '9' and drops '17.5'. SQLite instead applies the column's
 * TEXT affinity to the number and compares two strings ('9' < '17' is false), and an expression without
 * affinity (a function result such as REPLACE(col, ',', '') or MAX(col)) is always greater than any number.
 * SQLite's comparison operators cannot be overridden, and declaring the columns NUMERIC would change how values
 * are stored and printed (and the table hashes AgentBench checks). So the SQL is rewritten: where one side of
 * a comparison (=, <, >, <=, >=, <>, !=) is typed as a number by MySQL, the operand on the other side is
 * wrapped in mysql_number(...). The number side may be a numeric literal (signed, possibly followed by
 * arithmetic: `col > 2 * 5`), a call of a function that always returns a number (AVG, SUM, COUNT, ROUND,
 * LENGTH, ...), or a scalar subquery selecting such a call (`col > (SELECT AVG(col) FROM t)`). The tested
 * operand of `BETWEEN num AND num` and of `IN (num, ...)` with only numeric literals is wrapped too. For a
 * number, mysql_number is the identity, so wrapping an operand that is already numeric changes nothing; for
 * text it is exactly the conversion MySQL applies to a string compared with a number.
 *
 * The wrapped operand is the primary next to the operator: a column (optionally qualified), a function call,
 * a parenthesised expression or scalar subquery, or a CASE ... END. Nothing else is touched: comparisons with
 * string literals (`col = '5'`), column with column, numbers inside strings or names, SET assignments of
 * UPDATE, PRAGMA, and CREATE/ALTER statements outside their `AS SELECT` part (a CHECK or partial index may not
 * call an application function). Not covered (still SQLite's rule): an operand reached through `||` or
 * COLLATE; a number side of another shape, such as arithmetic that starts with a column (`col > x * 2`),
 * `col > (5)`, `col IN (SELECT COUNT(*) ...)` or an IN list mixing strings and numbers; and a string literal
 * compared with a number (`'5' = 5`). scripts/db-mysql-crosscheck.ts compares results with a real server.
 */

type TokKind = 'ws' | 'comment' | 'str' | 'qid' | 'word' | 'num' | 'param' | 'op';
interface Tok {
  kind: TokKind;
  text: string;
}

const OPERATORS = ['<=>', '->>', '<=', '>=', '<>', '!=', '==', '||', '<<', '>>', '->', ':='];

function tokenize(sql: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const take = (kind: TokKind, end: number) => {
    toks.push({ kind, text: sql.slice(i, end) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i];
    const rest = sql.slice(i, i + 3);
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j])) j++;
      take('ws', j);
    } else if (rest.startsWith('--')) {
      const j = sql.indexOf('\n', i);
      take('comment', j < 0 ? sql.length : j);
    } else if (rest.startsWith('/*')) {
      const j = sql.indexOf('*/', i + 2);
      take('comment', j < 0 ? sql.length : j + 2);
    } else if (c === "'" || c === '`' || c === '"' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) j += 2;
          else break;
        } else j++;
      }
      take(c === "'" ? 'str' : 'qid', Math.min(j + 1, sql.length));
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(?:0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/.exec(sql.slice(i))!;
      // 0x.. literals and digits running into letters (1abc) are not plain decimal numbers.
      const end = i + m[0].length;
      const hex = /^0[xX]/.test(m[0]);
      if (!hex && /[A-Za-z_$]/.test(sql[end] ?? '')) {
        let j = end;
        while (j < sql.length && /[\w$\u0080-\uffff]/.test(sql[j])) j++;
        take('word', j);
      } else take(hex ? 'word' : 'num', end);
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[\w$\u0080-\uffff]/.test(sql[j])) j++;
      take('word', j);
    } else if ((c === '@' || c === ':' || c === '$' || c === '?') && /[\w@?]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[\w$@.]/.test(sql[j])) j++;
      take('param', j);
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      take('op', i + (op?.length ?? 1));
    }
  }
  return toks;
}

const COMPARISONS = new Set(['=', '==', '<', '>', '<=', '>=', '<>', '!=']);
/** Words that end or sit between expressions: never a column name next to an operator. */
const KEYWORDS = new Set(
  (
    'select from where and or not xor on having when then else end case in is like glob regexp rlike between ' +
    'escape exists distinct all any some as by group order limit offset union intersect except join set ' +
    'values update delete insert into null true false current_date current_time current_timestamp collate ' +
    'using natural left right inner outer cross with returning div mod pragma create alter table view index'
  ).split(' '),
);
/** Words before `(` that make it something other than a parenthesised operand or a function call. */
const PAREN_PREFIX_SKIP = new Set(['in', 'exists', 'values', 'using', 'as', 'over', 'filter']);
/** Any other word before `(` names a function (LEFT, REPLACE, IF, ... are keywords too), except these. */
const NOT_FUNCTION = new Set(
  'select from where and or not xor on having when then else case is like glob regexp rlike between escape distinct all any some by join set returning'.split(' '),
);
/** Functions whose result MySQL types as a number whatever their arguments. */
const NUMERIC_FUNCTIONS = new Set(
  'avg sum count round abs floor ceil ceiling length char_length character_length octet_length bit_length sign sqrt exp ln log log2 log10 pow power std stddev stddev_pop stddev_samp variance var_pop var_samp truncate locate instr position'.split(' '),
);
const isFunctionName = (t: Tok | undefined) =>
  !!t && (t.kind === 'qid' || (t.kind === 'word' && !NOT_FUNCTION.has(t.text.toLowerCase()) && !PAREN_PREFIX_SKIP.has(t.text.toLowerCase())));

const lower = (t: Tok | undefined) => (t ? t.text.toLowerCase() : '');
const isName = (t: Tok | undefined) =>
  !!t && (t.kind === 'qid' || (t.kind === 'word' && !KEYWORDS.has(t.text.toLowerCase())));

/**
 * Rewrites comparisons between an operand and a numeric literal so that text compares as a number, as in
 * MySQL (see the note above). Expects SQLite-form string literals (run `rewriteMysqlStringEscapes` first).
 */
export function rewriteMysqlNumericComparisons(sql: string): string {
  const all = tokenize(sql);
  const toks = all.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
  const n = toks.length;
  const match = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  toks.forEach((t, i) => {
    if (t.kind !== 'op') return;
    if (t.text === '(') stack.push(i);
    else if (t.text === ')' && stack.length) {
      const j = stack.pop()!;
      match[i] = j;
      match[j] = i;
    }
  });

  /** Where the primary ending at token `end` starts, or -1 when it is not one this rewrite wraps. */
  const primaryEndingAt = (end: number): number => {
    const t = toks[end];
    if (!t) return -1;
    if (isName(t)) {
      let start = end;
      while (toks[start - 1]?.text === '.' && isName(toks[start - 2])) start -= 2;
      if (lower(toks[start - 1]) === 'collate') return -1;
      return start;
    }
    if (t.text === ')' && match[end] >= 0) {
      const open = match[end];
      const before = toks[open - 1];
      if (isFunctionName(before)) return open - 1;
      if (before && PAREN_PREFIX_SKIP.has(lower(before))) return -1;
      return open;
    }
    if (lower(t) === 'end') {
      let depth = 0;
      for (let j = end; j >= 0; j--) {
        const w = lower(toks[j]);
        if (toks[j].text === ')' && match[j] >= 0) j = match[j];
        else if (w === 'end') depth++;
        else if (w === 'case' && --depth === 0) return j;
      }
    }
    return -1;
  };

  /** Where the primary starting at token `start` ends, or -1. */
  const primaryStartingAt = (start: number): number => {
    const t = toks[start];
    if (!t) return -1;
    if (t.text === '(' && match[start] >= 0) return match[start];
    if (lower(t) === 'case') {
      let depth = 0;
      for (let j = start; j < n; j++) {
        const w = lower(toks[j]);
        if (toks[j].text === '(' && match[j] >= 0) j = match[j];
        else if (w === 'case') depth++;
        else if (w === 'end' && --depth === 0) return j;
      }
      return -1;
    }
    if (toks[start + 1]?.text === '(' && isFunctionName(t)) return match[start + 1];
    if (isName(t)) {
      let end = start;
      while (toks[end + 1]?.text === '.' && isName(toks[end + 2])) end += 2;
      return end;
    }
    return -1;
  };

  /** A numeric literal, optionally signed, starting at `start`: the index of its last token, or -1. */
  const numberStartingAt = (start: number): number => {
    let i = start;
    if (toks[i]?.text === '-' || toks[i]?.text === '+') i++;
    return toks[i]?.kind === 'num' ? i : -1;
  };
  /** A numeric literal ending at `end` (its sign included when the sign is unary): its first token, or -1. */
  const numberEndingAt = (end: number): number => {
    if (toks[end]?.kind !== 'num') return -1;
    const sign = toks[end - 1];
    if (sign && (sign.text === '-' || sign.text === '+')) {
      const before = toks[end - 2];
      const unary = !before || (before.kind === 'op' && before.text !== ')') || KEYWORDS.has(lower(before));
      return unary ? end - 1 : end;
    }
    return end;
  };
  /**
   * An operand that MySQL types as a number, starting at `start`: a numeric literal, a call of a function that
   * always returns a number (AVG, COUNT, ROUND, ...), or a scalar subquery selecting one of those. Its last token, or -1.
   */
  const numericStartingAt = (start: number): number => {
    const literal = numberStartingAt(start);
    if (literal >= 0) return literal;
    const t = toks[start];
    if (t?.kind === 'word' && NUMERIC_FUNCTIONS.has(lower(t)) && toks[start + 1]?.text === '(') return match[start + 1];
    if (t?.text === '(' && match[start] > start && lower(toks[start + 1]) === 'select') {
      const itemEnd = numericStartingAt(start + 2);
      if (itemEnd < 0) return -1;
      let j = itemEnd + 1;
      if (lower(toks[j]) === 'as') j++;
      if (isName(toks[j])) j++;
      const after = toks[j];
      return after && (lower(after) === 'from' || j === match[start]) ? match[start] : -1;
    }
    return -1;
  };
  /** The same, ending at `end`: its first token, or -1. */
  const numericEndingAt = (end: number): number => {
    const literal = numberEndingAt(end);
    if (literal >= 0) return literal;
    if (toks[end]?.text !== ')' || match[end] < 0) return -1;
    const open = match[end];
    if (numericStartingAt(open - 1) === end) return open - 1;
    if (numericStartingAt(open) === end) return open;
    return -1;
  };
  /** Operators binding tighter than a comparison that yield text or need text: the operand would be wider. */
  const textBinding = (t: Tok | undefined) => !!t && (['||', '->', '->>'].includes(t.text) || lower(t) === 'collate');

  const wrapStart = new Array<number>(n).fill(0);
  const wrapEnd = new Array<number>(n).fill(0);
  const wrap = (a: number, b: number) => {
    wrapStart[a]++;
    wrapEnd[b]++;
  };

  // Statement state: inside CREATE/ALTER only the AS SELECT part is rewritten; SET assignments are kept.
  let enabled = true;
  let atStatementStart = true;
  let setDepth = -1;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const t = toks[i];
    const w = lower(t);
    if (t.text === ';') {
      enabled = true;
      atStatementStart = true;
      setDepth = -1;
      depth = 0;
      continue;
    }
    if (atStatementStart) {
      atStatementStart = false;
      if (w === 'create' || w === 'alter') enabled = false;
    }
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    if (!enabled) {
      if (w === 'select' || w === 'with') enabled = true;
      else continue;
    }
    if (w === 'set') setDepth = depth;
    else if (setDepth === depth && ['where', 'from', 'order', 'limit', 'returning'].includes(w)) setDepth = -1;

    if (t.kind === 'op' && COMPARISONS.has(t.text)) {
      // operand op number
      const numEnd = numericStartingAt(i + 1);
      if (numEnd >= 0 && !textBinding(toks[numEnd + 1])) {
        const start = primaryEndingAt(i - 1);
        const prev = toks[start - 1];
        const assignment =
          t.text === '=' &&
          (lower(prev) === 'set' || lower(prev) === 'update' || lower(prev) === 'pragma' || (setDepth === depth && prev?.text === ','));
        if (start >= 0 && !textBinding(prev) && !assignment) {
          wrap(start, i - 1);
          continue;
        }
      }
      // number op operand
      const numStart = numericEndingAt(i - 1);
      if (numStart >= 0 && !textBinding(toks[numStart - 1])) {
        const end = primaryStartingAt(i + 1);
        if (end >= 0 && !textBinding(toks[end + 1]) && toks[end + 1]?.text !== '(') wrap(i + 1, end);
      }
      continue;
    }

    if (w === 'between' || w === 'in') {
      const opIndex = lower(toks[i - 1]) === 'not' ? i - 1 : i;
      let ok = false;
      if (w === 'between') {
        const lowEnd = numberStartingAt(i + 1);
        const highEnd = lowEnd >= 0 && lower(toks[lowEnd + 1]) === 'and' ? numberStartingAt(lowEnd + 2) : -1;
        ok = highEnd >= 0 && !textBinding(toks[highEnd + 1]);
      } else if (toks[i + 1]?.text === '(' && match[i + 1] > i + 1) {
        const close = match[i + 1];
        let j = i + 2;
        ok = true;
        while (ok && j < close) {
          const e = numberStartingAt(j);
          if (e < 0) ok = false;
          else j = toks[e + 1]?.text === ',' ? e + 2 : e + 1;
        }
        ok = ok && j === close;
      }
      const start = ok ? primaryEndingAt(opIndex - 1) : -1;
      if (start >= 0 && !textBinding(toks[start - 1])) wrap(start, opIndex - 1);
    }
  }

  // Re-emit the original text (whitespace and comments included) with the wrappers inserted.
  let out = '';
  let k = 0;
  for (const t of all) {
    if (t.kind === 'ws' || t.kind === 'comment') {
      out += t.text;
      continue;
    }
    out += `${MYSQL_NUMBER_FN}(`.repeat(wrapStart[k]) + t.text + ')'.repeat(wrapEnd[k]);
    k++;
  }
  return out;
}

/** Everything this module does to a statement before SQLite runs it. */
export function mysqlToSqlite(sql: string): string {
  return rewriteMysqlNumericComparisons(rewriteMysqlStringEscapes(sql));
}
