/** Python's repr() of SQL result rows, as AgentBench's DB task shows them: `[('a', 1), (None,)]`. */

export type SqlCell = string | number | null | Uint8Array;

export function pyRepr(value: SqlCell): string {
  if (value === null) return 'None';
  if (typeof value === 'number') return pyNumber(value);
  if (value instanceof Uint8Array) return `b'${Array.from(value, (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}'`;
  return pyString(value);
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

function pyString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

export function pyRows(rows: SqlCell[][]): string {
  return `[${rows.map((row) => `(${row.map(pyRepr).join(', ')}${row.length === 1 ? ',' : ''})`).join(', ')}]`;
}
