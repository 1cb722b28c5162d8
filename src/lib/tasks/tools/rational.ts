/** Exact rational numbers over BigInt, always in lowest terms with a positive denominator. */

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError('division by zero');
    if (den < 0n) [num, den] = [-num, -den];
    const g = gcd(num, den) || 1n;
    this.num = num / g;
    this.den = den / g;
  }

  /** Parses a decimal literal such as `12`, `-0.125`, `1.5e3` exactly. */
  static parseDecimal(text: string): Rational {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new SyntaxError(`not a number: "${text}"`);
    const [, sign, int, frac = '', exp = '0'] = m;
    let num = BigInt((int || '0') + frac);
    let den = 10n ** BigInt(frac.length);
    const e = Number(exp);
    if (Math.abs(e) > 1000) throw new RangeError(`exponent too large: ${e}`);
    if (e > 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
    return new Rational(sign === '-' ? -num : num, den);
  }

  add(o: Rational): Rational {
    return new Rational(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    return new Rational(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational): Rational {
    return new Rational(this.num * o.num, this.den * o.den);
  }
  div(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('division by zero');
    return new Rational(this.num * o.den, this.den * o.num);
  }
  neg(): Rational {
    return new Rational(-this.num, this.den);
  }
  /** Integer powers only (the result stays exact). */
  pow(o: Rational): Rational {
    if (o.den !== 1n) throw new RangeError('only integer exponents keep the result exact');
    const e = o.num < 0n ? -o.num : o.num;
    if (e > 10_000n) throw new RangeError(`exponent too large: ${o.num}`);
    const p = new Rational(this.num ** e, this.den ** e);
    return o.num < 0n ? new Rational(1n, 1n).div(p) : p;
  }
  /** Remainder with the sign of the dividend, like `%` in most languages. */
  mod(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('division by zero');
    const q = (this.num * o.den) / (this.den * o.num);
    return this.sub(o.mul(new Rational(q)));
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  /** Exact decimal when the denominator has only factors 2 and 5, else `null`. */
  toExactDecimal(): string | null {
    let d = this.den;
    let twos = 0;
    let fives = 0;
    while (d % 2n === 0n) {
      d /= 2n;
      twos++;
    }
    while (d % 5n === 0n) {
      d /= 5n;
      fives++;
    }
    if (d !== 1n) return null;
    return this.toFixed(Math.max(twos, fives));
  }

  /** Rounded (half away from zero) to `digits` decimals, trailing zeros dropped. */
  toFixed(digits: number): string {
    const scale = 10n ** BigInt(digits);
    const negative = this.num < 0n;
    const abs = negative ? -this.num : this.num;
    let scaled = (abs * scale) / this.den;
    if (((abs * scale) % this.den) * 2n >= this.den) scaled += 1n;
    const s = scaled.toString().padStart(digits + 1, '0');
    const int = s.slice(0, s.length - digits);
    const frac = digits ? s.slice(s.length - digits).replace(/0+$/, '') : '';
    const out = frac ? `${int}.${frac}` : int;
    return negative && out !== '0' ? `-${out}` : out;
  }

  /** `3`, `0.125`, or `41/63 ≈ 0.6507936508` when no exact decimal exists. */
  toString(): string {
    if (this.isInteger()) return this.num.toString();
    return this.toExactDecimal() ?? `${this.num}/${this.den} ≈ ${this.toFixed(10)}`;
  }
}
