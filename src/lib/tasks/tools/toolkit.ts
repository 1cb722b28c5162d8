/**
 * The Tools environment's tools: what the system prompt lists (ToolSpec) and what runs (handlers).
 * Handlers return the text the model reads after `Response:`; bad arguments get a message that says
 * which argument was wrong and what is expected.
 */
import type { ToolSpec } from '../../agent/protocols/types';
import { runJavaScript, type JsDeterminism } from '../../runtimes/quickjs';
import { execBounded, type SqlDatabase } from '../../runtimes/sqlite';
import { atTime } from '../../runtimes/determinism';
import { searchArticles, summary } from '../wiki/corpus';
import { evaluateExpression } from './calculator';
import { addDays, daysBetween, weekday } from './dates';
import { DEMO_SCHEMA } from './demo-db';
import { Rational } from './rational';
import { convertUnits, formatQuantity } from './units';

export type ToolName = 'Calculator' | 'JavaScript' | 'SQL' | 'UnitConverter' | 'DateCalculator' | 'WikiSearch';

export const TOOL_SPECS: Record<ToolName, ToolSpec> = {
  Calculator: {
    name: 'Calculator',
    description:
      'Exact arithmetic. Supports + - * / % ^ and parentheses on integers and decimals; returns an exact integer, decimal or fraction.',
    parameters: [{ name: 'expression', type: 'STRING', description: 'the arithmetic expression, e.g. (3/7 + 2/9) * 21' }],
    required: ['expression'],
  },
  JavaScript: {
    name: 'JavaScript',
    description:
      'Runs JavaScript in a sandboxed interpreter with no network or file access and returns what console.log prints plus the value of the last expression.',
    parameters: [{ name: 'code', type: 'STRING', description: 'the JavaScript source to run' }],
    required: ['code'],
  },
  SQL: {
    name: 'SQL',
    description: `Runs one SQLite query on a bookshop database and returns the rows. Schema:\n${DEMO_SCHEMA}`,
    parameters: [{ name: 'query', type: 'STRING', description: 'one SQLite statement' }],
    required: ['query'],
  },
  UnitConverter: {
    name: 'UnitConverter',
    description:
      'Converts a quantity between units of length, mass, time, volume, area, speed, data size or temperature (e.g. mi to km, lb to kg, F to C, GiB to MiB).',
    parameters: [
      { name: 'value', type: 'NUMBER', description: 'the quantity to convert' },
      { name: 'from_unit', type: 'STRING', description: 'the unit of the value, e.g. mi' },
      { name: 'to_unit', type: 'STRING', description: 'the unit to convert to, e.g. km' },
    ],
    required: ['value', 'from_unit', 'to_unit'],
  },
  DateCalculator: {
    name: 'DateCalculator',
    description:
      'Calendar arithmetic on dates in YYYY-MM-DD form. operation is one of: days_between (date, end_date), add_days (date, days), weekday (date).',
    parameters: [
      { name: 'operation', type: 'STRING', description: 'days_between, add_days or weekday' },
      { name: 'date', type: 'STRING', description: 'a date, YYYY-MM-DD' },
      { name: 'end_date', type: 'STRING', description: 'the second date for days_between' },
      { name: 'days', type: 'NUMBER', description: 'the number of days for add_days (may be negative)' },
    ],
    required: ['operation', 'date'],
  },
  WikiSearch: {
    name: 'WikiSearch',
    description: 'Searches an offline encyclopedia and returns the best matching articles with their first sentences.',
    parameters: [{ name: 'query', type: 'STRING', description: 'what to search for' }],
    required: ['query'],
  },
};

export class ToolArgumentError extends Error {}

function stringArg(args: Record<string, unknown>, tool: ToolName, name: string): string {
  const v = args[name];
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number') return String(v);
  throw new ToolArgumentError(`${tool} needs the argument "${name}" (${TOOL_SPECS[tool].parameters.find((p) => p.name === name)?.description ?? 'a string'}).`);
}

function numberArg(args: Record<string, unknown>, tool: ToolName, name: string): Rational {
  const v = args[name];
  try {
    if (typeof v === 'number' && Number.isFinite(v)) return Rational.parseDecimal(String(v));
    if (typeof v === 'string') return Rational.parseDecimal(v.replaceAll(',', ''));
  } catch {
    // fall through to the message below
  }
  throw new ToolArgumentError(`${tool} needs the argument "${name}" as a number, got ${JSON.stringify(v) ?? 'nothing'}.`);
}

export interface ToolContext {
  db(): Promise<SqlDatabase>;
  /** This step's seed and clock (JavaScript's Math.random and Date, SQL's time functions). */
  determinism?: JsDeterminism;
}

export async function runTool(name: ToolName, args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
  switch (name) {
    case 'Calculator':
      return evaluateExpression(stringArg(args, name, 'expression')).toString();
    case 'JavaScript': {
      const { output } = await runJavaScript(stringArg(args, name, 'code'), {}, ctx.determinism);
      return output === '' ? '(no output)' : output;
    }
    case 'SQL': {
      const db = await ctx.db();
      const query = stringArg(args, name, 'query');
      const results = ctx.determinism ? atTime(ctx.determinism.nowMs, () => execBounded(db, query)) : execBounded(db, query);
      const last = results.at(-1);
      if (!last) return 'OK (no rows)';
      return [last.columns.join(' | '), ...last.values.map((row) => row.map((c) => (c === null ? 'NULL' : String(c))).join(' | '))].join('\n');
    }
    case 'UnitConverter': {
      const value = numberArg(args, name, 'value');
      const from = stringArg(args, name, 'from_unit');
      const to = stringArg(args, name, 'to_unit');
      return `${formatQuantity(value)} ${from} = ${formatQuantity(convertUnits(value, from, to))} ${to}`;
    }
    case 'DateCalculator': {
      const op = stringArg(args, name, 'operation');
      const date = stringArg(args, name, 'date');
      if (op === 'days_between') return String(daysBetween(date, stringArg(args, name, 'end_date')));
      if (op === 'add_days') return addDays(date, Number(numberArg(args, name, 'days').toString()));
      if (op === 'weekday') return weekday(date);
      throw new ToolArgumentError(`DateCalculator: unknown operation "${op}"; use days_between, add_days or weekday.`);
    }
    case 'WikiSearch': {
      const hits = searchArticles(stringArg(args, name, 'query'), 3);
      if (hits.length === 0) return 'No article matches the query.';
      return hits.map((a) => `${a.title}: ${summary(a, 3)}`).join('\n\n');
    }
  }
}
