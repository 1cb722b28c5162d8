import { describe, expect, it } from 'vitest';
import { envModule } from '../../src/lib/tasks/tools/index';
import { getProtocol } from '../../src/lib/agent/protocols/index';
import type { ToolsTask } from '../../src/lib/tasks/tools/tasks';
import { evaluateExpression } from '../../src/lib/tasks/tools/calculator';
import { Rational } from '../../src/lib/tasks/tools/rational';
import { convertUnits, formatQuantity } from '../../src/lib/tasks/tools/units';
import { addDays, daysBetween, weekday } from '../../src/lib/tasks/tools/dates';
import { answerMatches, normalizeText } from '../../src/lib/tasks/tools/score';

const byId = (id: string) => envModule.tasks.find((t) => t.id === id) as ToolsTask;
const call = (name: string, args: Record<string, unknown>) => ({ type: 'tool' as const, name, args });

describe('calculator (exact rationals, own parser)', () => {
  const calc = (e: string) => evaluateExpression(e).toString();
  it('computes exactly', () => {
    expect(calc('123456789 * 987654321')).toBe('121932631112635269');
    expect(calc('0.1 + 0.2')).toBe('0.3');
    expect(calc('3/7 + 2/9')).toBe('41/63 ≈ 0.6507936508');
    expect(calc('2^100')).toBe('1267650600228229401496703205376');
    expect(calc('-2^2')).toBe('-4');
    expect(calc('2^3^2')).toBe('512');
    expect(calc('(1 + 2) * 3 - 4 / 8')).toBe('8.5');
    expect(calc('2^-2')).toBe('0.25');
    expect(calc('17 % 5')).toBe('2');
    expect(calc('6 × 7 ÷ 2')).toBe('21');
    expect(calc('1.5e3 + 1')).toBe('1501');
  });
  it('rejects bad input with a message that says what and where', () => {
    expect(() => calc('1 / 0')).toThrow(/division by zero/);
    expect(() => calc('2 + ')).toThrow(/ends too early/);
    expect(() => calc('(1 + 2')).toThrow(/missing "\)"/);
    expect(() => calc('alert(1)')).toThrow(/unexpected character "a" at position 1/);
    expect(() => calc('2 ^ 0.5')).toThrow(/integer exponents/);
    expect(() => calc('')).toThrow(/empty/);
  });
  it('rounds half away from zero', () => {
    expect(new Rational(2n, 3n).toFixed(3)).toBe('0.667');
    expect(new Rational(-1n, 8n).toFixed(2)).toBe('-0.13');
  });
});

describe('units and dates', () => {
  it('converts with exact factors and affine temperatures', () => {
    const conv = (v: string, a: string, b: string) => formatQuantity(convertUnits(Rational.parseDecimal(v), a, b));
    expect(conv('26.2', 'mi', 'km')).toBe('42.1648128');
    expect(conv('100', 'F', 'C')).toBe('37.777778');
    expect(conv('-40', 'celsius', 'fahrenheit')).toBe('-40');
    expect(conv('0', 'C', 'K')).toBe('273.15');
    expect(conv('5', 'GiB', 'MiB')).toBe('5120');
    expect(conv('1', 'lb', 'oz')).toBe('16');
    expect(() => convertUnits(Rational.parseDecimal('1'), 'kg', 'km')).toThrow(/cannot convert mass \(kg\) to length \(km\)/);
    expect(() => convertUnits(Rational.parseDecimal('1'), 'parsec', 'km')).toThrow(/unknown unit "parsec"/);
  });
  it('does calendar arithmetic', () => {
    expect(daysBetween('2024-01-15', '2024-03-01')).toBe(46);
    expect(daysBetween('2023-01-15', '2023-03-01')).toBe(45);
    expect(addDays('2023-12-25', 100)).toBe('2024-04-03');
    expect(weekday('1969-07-20')).toBe('Sunday');
    expect(() => weekday('2023-02-30')).toThrow(/not a valid calendar date/);
    expect(() => weekday('20/07/1969')).toThrow(/YYYY-MM-DD/);
  });
});

describe('answer matching', () => {
  it('finds numbers in sentences within tolerance, and text as whole words', () => {
    expect(answerMatches('Each pays about 3.13 euros.', { number: 3.125, tolerance: 0.005 })).toBe(true);
    expect(answerMatches('Each pays 3.2 euros.', { number: 3.125, tolerance: 0.005 })).toBe(false);
    expect(answerMatches('The sum is 76,127.', { number: 76127 })).toBe(true);
    expect(answerMatches('It was a Sunday.', { text: ['Sunday'] })).toBe(true);
    expect(answerMatches('Sundays are nice', { text: ['Sunday'] })).toBe(false);
    expect(normalizeText('The date: 2024-04-03.')).toBe('the date 2024-04-03');
  });
});

describe('Tools environment', () => {
  it('has at least 20 tasks with tools listed, at least 4 negatives, and an expert for each', () => {
    expect(envModule.tasks.length).toBeGreaterThanOrEqual(20);
    expect(envModule.tasks.filter((t) => 'noTool' in (t as ToolsTask).data.expected).length).toBeGreaterThanOrEqual(4);
    for (const t of envModule.tasks as ToolsTask[]) {
      expect(t.data.tools.length, t.id).toBeGreaterThan(0);
      expect(envModule.experts[t.id], t.id).toBeDefined();
    }
  });

  it('every expert turn parses under the ReAct parser restricted to the task\'s offered tools, in both modes', () => {
    const react = getProtocol(envModule.protocolId);
    for (const t of envModule.tasks as ToolsTask[]) {
      expect(envModule.experts[t.id].length, `${t.id}: lagent's max_turn`).toBeLessThanOrEqual(react.maxTurns);
      for (const turn of envModule.experts[t.id]) {
        for (const mode of ['strict', 'lenient'] as const) {
          const parsed = react.parse(turn, { tools: t.data.tools, mode });
          expect(parsed.ok, `${mode} ${t.id}: ${turn}`).toBe(true);
        }
        expect(react.parse(turn, { tools: t.data.tools, mode: 'strict' })).toEqual(react.parse(turn, { tools: t.data.tools }));
      }
    }
  });

  it('a negative scores 0 when a tool was called, 1 when answered directly', async () => {
    const env = await envModule.create();
    const haiku = byId('tools-haiku');
    await env.reset(haiku);
    await env.step(call('Calculator', { expression: '5 + 7 + 5' }));
    expect(await env.step({ type: 'final', answer: 'a haiku' })).toMatchObject({ done: true, reward: 0 });
    await env.reset(haiku);
    expect((await env.step({ type: 'final', answer: 'a haiku' })).reward).toBe(1);
  });

  it('only offered tools run; bad arguments get a clear message; the episode goes on', async () => {
    const env = await envModule.create();
    await env.reset(byId('tools-fraction-sum')); // offers the Calculator only
    expect((await env.step(call('SQL', { query: 'SELECT 1' }))).observation).toBe('There is no tool named "SQL". Available tools: Calculator.');
    expect((await env.step(call('Calculator', {}))).observation).toMatch(/Calculator needs the argument "expression"/);
    expect((await env.step(call('Calculator', { expression: '1/0' }))).observation).toBe('Calculator error: division by zero');
    expect((await env.step({ type: 'final', answer: '5/16' })).reward).toBe(0);
  });

  it('JavaScript runs in QuickJS: host globals are absent and limits hold', async () => {
    const env = await envModule.create();
    await env.reset(byId('tools-fibonacci'));
    const js = async (code: string) => (await env.step(call('JavaScript', { code }))).observation;
    expect(await js('fetch("https://example.com")')).toMatch(/ReferenceError: 'fetch' is not defined/);
    expect(await js('while (true) {}')).toMatch(/interrupted \(the code ran past its time limit\)/);
    expect(await js('"x".repeat(100 * 1024 * 1024).length')).toMatch(/out of memory/);
    expect(await js('function f() { return f(); } f()')).toMatch(/stack/i);
    expect(await js('1 + 1')).toBe('2');
  });

  it('each episode gets a fresh demo database', async () => {
    const env = await envModule.create();
    await env.reset(byId('tools-old-books'));
    await env.step(call('SQL', { query: 'DELETE FROM books' }));
    expect((await env.step(call('SQL', { query: 'SELECT COUNT(*) FROM books' }))).observation).toBe('COUNT(*)\n0');
    await env.reset(byId('tools-old-books'));
    expect((await env.step(call('SQL', { query: 'SELECT COUNT(*) FROM books' }))).observation).toBe('COUNT(*)\n10');
  });
});
