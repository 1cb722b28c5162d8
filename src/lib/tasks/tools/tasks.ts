/**
 * Tools tasks (ReAct / ToolBench style): each lists the tools its system prompt offers. `expected` is
 * the answer, written here from the data (or worked out by hand), never from running the tools.
 * Negatives are Agent-FLAN's hallucination negatives: no offered tool fits, and the right behaviour is a
 * direct answer with no tool call.
 */
import type { ToolSpec } from '../../agent/protocols/types';
import type { TaskSpec } from '../types';
import { world } from '../world/world';
import { TOOL_SPECS, type ToolName } from './toolkit';

export type Expected =
  /** A number: the answer must contain a number within `tolerance` of it (default 1e-6). */
  | { number: number; tolerance?: number }
  /** Text: the normalised answer must contain one of these (normalised) as whole words. */
  | { text: string[] }
  /** A hallucination negative: any answer given without a tool call. */
  | { noTool: true }
  /** A visitor's own request (the app's free mode): no reference answer, so nothing is scored. */
  | { open: true };

export interface ToolsTaskData {
  request: string;
  tools: ToolSpec[];
  expected: Expected;
}

export type ToolsTask = TaskSpec & { env: 'tools'; data: ToolsTaskData };

const tools = (...names: ToolName[]) => names.map((n) => TOOL_SPECS[n]);
const ALL: ToolName[] = ['Calculator', 'JavaScript', 'SQL', 'UnitConverter', 'DateCalculator', 'WikiSearch'];

function task(id: string, title: string, request: string, offered: ToolName[], expected: Expected): ToolsTask {
  return { id: `tools-${id}`, env: 'tools', title, data: { request, tools: tools(...offered), expected } };
}

const w = world();
const country = w.countries[0];
const company = w.companies[0];
const university = w.universities[0];

export const toolsTasks: ToolsTask[] = [
  task('big-product', 'Multiply two large integers exactly', 'What is 123456789 multiplied by 987654321? Give the exact integer.', ['Calculator', 'WikiSearch'], { text: ['121932631112635269'] }),
  task('fraction-sum', 'Add two fractions exactly', 'What is 3/7 + 2/9 as a fraction in lowest terms?', ['Calculator'], { text: ['41/63'] }),
  task('power-of-two', 'Compute 2 to the 100th power', 'What is 2 to the power of 100, exactly?', ['Calculator', 'UnitConverter'], { text: ['1267650600228229401496703205376'] }),
  task('pizza-split', 'Split a bill', 'A pizza costs 18.75 euros and six friends split it equally. How much does each pay?', ['Calculator', 'DateCalculator'], { number: 3.125, tolerance: 0.005 }),
  task('percent', 'Take a percentage', 'What is 15% of 2,340?', ALL, { number: 351 }),
  task('primes-sum', 'Sum the primes below 1000', 'What is the sum of all prime numbers below 1000?', ['JavaScript', 'Calculator'], { number: 76127 }),
  task('fibonacci', 'The 30th Fibonacci number', 'With F(1) = F(2) = 1, what is the 30th Fibonacci number F(30)?', ['JavaScript'], { number: 832040 }),
  task('letter-count', 'Count letters in a word', 'How many times does the letter "s" occur in the word "Mississippi"?', ['JavaScript', 'WikiSearch'], { number: 4 }),
  task('factorial', 'Compute 17 factorial', 'What is 17! (17 factorial)?', ['JavaScript', 'Calculator'], { text: ['355687428096000'] }),
  task('old-books', 'Count books published before 1950', 'In the bookshop database, how many books were published before 1950?', ['SQL', 'Calculator'], { number: 3 }),
  task('most-stock', 'Author with the most copies in stock', 'In the bookshop database, which author has the most copies in stock across all of their books?', ['SQL'], { text: ['Aiko Tanabe'] }),
  task('march-revenue', 'Revenue in March 2024', 'In the bookshop database, what was the total revenue (quantity times price) of the orders placed in March 2024?', ['SQL', 'Calculator'], { number: 171.25, tolerance: 0.005 }),
  task('marathon-km', 'Miles to kilometres', 'How many kilometres is a marathon of 26.2 miles?', ['UnitConverter', 'Calculator'], { number: 42.1648128, tolerance: 0.01 }),
  task('fever-celsius', 'Fahrenheit to Celsius', 'What is 100 degrees Fahrenheit in degrees Celsius?', ['UnitConverter'], { number: 37.7777777778, tolerance: 0.01 }),
  task('gib-mib', 'GiB to MiB', 'How many MiB are 5 GiB?', ['UnitConverter', 'JavaScript'], { number: 5120 }),
  task('days-between', 'Days between two dates', 'How many days are there from 2024-01-15 to 2024-03-01?', ['DateCalculator', 'Calculator'], { number: 46 }),
  task('moon-weekday', 'Weekday of a date', 'On what day of the week was 1969-07-20?', ['DateCalculator', 'WikiSearch'], { text: ['Sunday'] }),
  task('add-days', 'A date 100 days later', 'What date is 100 days after 2023-12-25? Answer in YYYY-MM-DD form.', ['DateCalculator'], { text: ['2024-04-03'] }),
  task('capital', `Capital of ${country.name}`, `What is the capital of ${country.name}?`, ['WikiSearch', 'Calculator'], { text: [country.capital] }),
  task('university-founder', `Founder of the ${university.name}`, `Who founded the ${university.name}?`, ['WikiSearch'], { text: [university.founder] }),
  task(
    'founding-gap',
    'Years between two foundings',
    `How many years after the ${university.name} was ${company.name} founded?`,
    ['WikiSearch', 'Calculator'],
    { number: company.founded - university.founded },
  ),
  task('haiku', 'Write a haiku (no tool fits)', 'Write a haiku about the first snow of winter.', ['Calculator', 'UnitConverter'], { noTool: true }),
  task('translate', 'Translate a phrase (no tool fits)', 'How do you say "good morning" in French?', ['SQL', 'DateCalculator'], { noTool: true }),
  task('weather', 'Live weather (no tool fits)', 'What is the weather in Paris right now?', ['Calculator', 'JavaScript'], { noTool: true }),
  task('joke', 'Tell a joke (no tool fits)', 'Tell me a short joke about programmers.', ['UnitConverter', 'DateCalculator'], { noTool: true }),
  task('email', 'Draft an email (no tool fits)', 'Draft a two-sentence email asking my landlord to fix the heating.', ['SQL', 'WikiSearch'], { noTool: true }),
];
