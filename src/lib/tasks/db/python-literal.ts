/**
 * AgentBench.old's 2023 DB answer comparison (`dbbench/__init__.py:190-207`), which reads the model's answer with
 * Python's `eval`: `list(eval(ans))`, or `[ans]` when that raises; one value each: `float(a) == float(b)`, or `a == b`
 * when a float() raises; otherwise set equality (0 when an item is unhashable). `eval` is reproduced for Python
 * literals (strings, numbers, None/True/False, lists, tuples, sets, dicts); any other expression counts as raising,
 * where Python might have evaluated it (`["a"] + ["b"]`): the one difference, documented in the README.
 */

export type PyValue =
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number; float: boolean }
  | { kind: 'none' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'list' | 'tuple' | 'set'; items: PyValue[] }
  | { kind: 'dict'; keys: PyValue[] };

class LiteralError extends Error {}

/** Parses one Python literal expression (surrounding whitespace allowed, as eval allows); undefined if it is not one. */
export function parsePyLiteral(src: string): PyValue | undefined {
  let i = 0;
  const ws = () => {
    while (i < src.length && /[ \t\n\r\f\v]/.test(src[i])) i++;
  };
  const fail = (): never => {
    throw new LiteralError();
  };
  const value = (): PyValue => {
    ws();
    const c = src[i];
    if (c === '[' || c === '(' || c === '{') return container(c);
    if (c === '"' || c === "'" || /[rRbBuU]/.test(c ?? '') && /["']/.test(src[i + 1] ?? '')) return strings();
    const word = /^(None|True|False)(?![\w])/.exec(src.slice(i));
    if (word) {
      i += word[1].length;
      return word[1] === 'None' ? { kind: 'none' } : { kind: 'bool', value: word[1] === 'True' };
    }
    const num = /^[+-]?(?:(?:\d[\d_]*)?\.\d[\d_]*|\d[\d_]*\.?)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num && num[0] !== '' && /\d/.test(num[0])) {
      i += num[0].length;
      const text = num[0].replaceAll('_', '');
      return { kind: 'num', value: Number(text), float: /[.eE]/.test(text) };
    }
    return fail();
  };
  const strings = (): PyValue => {
    let out = '';
    // Adjacent literals concatenate, as in Python.
    while (i < src.length) {
      ws();
      const prefix = /^[rRuU]?(?=["'])/.exec(src.slice(i));
      if (!prefix) break;
      const raw = /r/i.test(prefix[0]);
      i += prefix[0].length;
      const q = src.startsWith(src[i].repeat(3), i) ? src[i].repeat(3) : src[i];
      i += q.length;
      for (;;) {
        if (i >= src.length) fail();
        if (src.startsWith(q, i)) {
          i += q.length;
          break;
        }
        const ch = src[i];
        if (ch === '\n' && q.length === 1) fail();
        if (ch === '\\' && !raw) {
          const [text, used] = escape(src, i + 1);
          out += text;
          i += 1 + used;
        } else if (ch === '\\' && raw) {
          out += ch + (src[i + 1] ?? '');
          i += 2;
        } else {
          out += ch;
          i++;
        }
      }
    }
    return { kind: 'str', value: out };
  };
  const container = (open: string): PyValue => {
    const close = open === '[' ? ']' : open === '(' ? ')' : '}';
    i++;
    const items: PyValue[] = [];
    let dict = false;
    let comma = false;
    for (;;) {
      ws();
      if (src[i] === close) {
        i++;
        break;
      }
      items.push(value());
      ws();
      if (open === '{' && src[i] === ':') {
        dict = true;
        i++;
        value();
        ws();
      }
      if (src[i] === ',') {
        comma = true;
        i++;
        continue;
      }
      if (src[i] === close) {
        i++;
        break;
      }
      fail();
    }
    if (open === '(') return items.length === 1 && !comma ? items[0] : { kind: 'tuple', items };
    if (open === '[') return { kind: 'list', items };
    return dict || items.length === 0 ? { kind: 'dict', keys: items } : { kind: 'set', items };
  };
  try {
    const v = value();
    ws();
    return i === src.length ? v : undefined;
  } catch (e) {
    if (e instanceof LiteralError) return undefined;
    throw e;
  }
}

function escape(src: string, at: number): [string, number] {
  const c = src[at];
  const simple: Record<string, string> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  if (c in simple) return [simple[c], 1];
  const hex = (n: number) => {
    const h = src.slice(at + 1, at + 1 + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new LiteralError();
    return [String.fromCodePoint(parseInt(h, 16)), n + 1] as [string, number];
  };
  if (c === 'x') return hex(2);
  if (c === 'u') return hex(4);
  if (c === 'U') return hex(8);
  const oct = /^[0-7]{1,3}/.exec(src.slice(at));
  if (oct) return [String.fromCodePoint(parseInt(oct[0], 8)), oct[0].length];
  return ['\\' + (c ?? ''), c === undefined ? 0 : 1];
}

/** `list(x)`: undefined where Python raises TypeError (numbers, None, bools). */
function pyList(v: PyValue): PyValue[] | undefined {
  switch (v.kind) {
    case 'str':
      return Array.from(v.value, (ch): PyValue => ({ kind: 'str', value: ch }));
    case 'list':
    case 'tuple':
    case 'set':
      return v.items;
    case 'dict':
      return v.keys;
    default:
      return undefined;
  }
}

/** Python's `float(x)`; undefined where it raises. */
function pyFloat(v: PyValue): number | undefined {
  if (v.kind === 'num') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind !== 'str') return undefined;
  const s = v.value.trim().replaceAll(/(?<=\d)_(?=\d)/g, '');
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return NaN;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : undefined;
}

/** Python `==` between values of these kinds. */
function pyEqual(a: PyValue, b: PyValue): boolean {
  const n = (v: PyValue) => (v.kind === 'num' ? v.value : v.kind === 'bool' ? (v.value ? 1 : 0) : undefined);
  if (n(a) !== undefined && n(b) !== undefined) return n(a) === n(b);
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  if (a.kind === 'none' && b.kind === 'none') return true;
  if ((a.kind === 'list' || a.kind === 'tuple') && a.kind === b.kind) return a.items.length === b.items.length && a.items.every((x, i) => pyEqual(x, b.items[i]));
  return false;
}

const hashable = (v: PyValue): boolean => v.kind !== 'list' && v.kind !== 'set' && v.kind !== 'dict' && (v.kind !== 'tuple' || v.items.every(hashable));

function setEqual(a: PyValue[], b: PyValue[]): boolean {
  const has = (xs: PyValue[], x: PyValue) => xs.some((y) => pyEqual(x, y));
  return a.every((x) => has(b, x)) && b.every((x) => has(a, x));
}

/** dbbench/__init__.py:190-207 for a SELECT-type entry: `answer` as the harness got it, `label` as the entry has it. */
export function originalAnswerMatch(answer: string, label: readonly unknown[]): boolean {
  const parsed = parsePyLiteral(answer);
  const ans = (parsed && pyList(parsed)) ?? [{ kind: 'str', value: answer } as PyValue];
  const cor = label.map((x): PyValue => (typeof x === 'number' ? { kind: 'num', value: x, float: !Number.isInteger(x) } : { kind: 'str', value: String(x) }));
  if (ans.length === 1 && cor.length === 1) {
    const [a, b] = [pyFloat(ans[0]), pyFloat(cor[0])];
    if (a !== undefined && b !== undefined) return a === b;
    return pyEqual(ans[0], cor[0]);
  }
  if (!ans.every(hashable)) return false;
  return setEqual(ans, cor);
}
