/**
 * The calculator tool: exact arithmetic on rationals with its own parser (no JavaScript evaluation).
 * Grammar: numbers (decimals, exponents, thousands commas not allowed), + - * / % ^ (or **), unary
 * minus, parentheses; `x` and `×` multiply, `÷` divides.
 */
import { Rational } from './rational';

type Token = { kind: 'num'; value: Rational; at: number } | { kind: 'op'; value: string; at: number };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  const text = expr.replace(/×/g, '*').replace(/÷/g, '/').replace(/\*\*/g, '^');
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'num', value: Rational.parseDecimal(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    if ('+-*/%^()'.includes(ch) || ch === 'x') {
      tokens.push({ kind: 'op', value: ch === 'x' ? '*' : ch, at: i });
      i++;
      continue;
    }
    throw new SyntaxError(`unexpected character "${ch}" at position ${i + 1}`);
  }
  return tokens;
}

/** Evaluates an arithmetic expression exactly. Throws SyntaxError / RangeError with a readable message. */
export function evaluateExpression(expr: string): Rational {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => peek()?.kind === 'op' && peek().value === v;
  const where = () => (peek() ? `at position ${peek().at + 1}` : 'at the end');

  const primary = (): Rational => {
    const t = peek();
    if (!t) throw new SyntaxError('the expression ends too early');
    if (t.kind === 'num') {
      pos++;
      return t.value;
    }
    if (t.value === '(') {
      pos++;
      const v = sum();
      if (!isOp(')')) throw new SyntaxError(`missing ")" ${where()}`);
      pos++;
      return v;
    }
    if (t.value === '-') {
      pos++;
      return power().neg();
    }
    if (t.value === '+') {
      pos++;
      return power();
    }
    throw new SyntaxError(`unexpected "${t.value}" ${where()}`);
  };
  // ^ binds tighter than unary minus on its left (-2^2 = -4) and is right-associative.
  const power = (): Rational => {
    const base = primary();
    if (isOp('^')) {
      pos++;
      return base.pow(power());
    }
    return base;
  };
  const product = (): Rational => {
    let v = power();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = peek().value;
      pos++;
      const r = power();
      v = op === '*' ? v.mul(r) : op === '/' ? v.div(r) : v.mod(r);
    }
    return v;
  };
  const sum = (): Rational => {
    let v = product();
    while (isOp('+') || isOp('-')) {
      const op = peek().value;
      pos++;
      const r = product();
      v = op === '+' ? v.add(r) : v.sub(r);
    }
    return v;
  };

  if (tokens.length === 0) throw new SyntaxError('the expression is empty');
  const value = sum();
  if (pos < tokens.length) throw new SyntaxError(`unexpected "${peek().value}" ${where()}`);
  return value;
}
