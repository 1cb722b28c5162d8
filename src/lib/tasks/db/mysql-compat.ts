/**
 * The model was trained against MySQL. SQLite accepts backtick identifiers and most of the dialect;
 * what it does not accept that AgentBench tasks use is backslash escapes inside string literals
 * (`'Don\'t'`). This rewrites those escapes into SQLite's form, leaving everything else untouched.
 */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', Z: '\x1a' };

export function rewriteMysqlStringEscapes(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '`' || ch === '"' || ch === '[') {
      const close = ch === '[' ? ']' : ch;
      const end = sql.indexOf(close, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch !== "'") {
      out += ch;
      i++;
      continue;
    }
    // A single-quoted literal: copy with escapes translated; '' stays a quote.
    out += "'";
    i++;
    while (i < sql.length) {
      const c = sql[i];
      if (c === '\\' && i + 1 < sql.length) {
        const next = sql[i + 1];
        const mapped = next === "'" ? "''" : (ESCAPES[next] ?? next);
        out += mapped;
        i += 2;
      } else if (c === "'" && sql[i + 1] === "'") {
        out += "''";
        i += 2;
      } else if (c === "'") {
        out += "'";
        i++;
        break;
      } else {
        out += c;
        i++;
      }
    }
  }
  return out;
}
