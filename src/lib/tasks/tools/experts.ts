/** Expert turns for the Tools tasks in lagent's ReAct format (the one Agent-FLAN's ReAct data uses). */
import { world } from '../world/world';

const call = (thought: string, tool: string, input: Record<string, unknown>) =>
  `Thought: ${thought}\nAction: ${tool}\nAction Input: ${JSON.stringify(input)}`;
const final = (thought: string, answer: string) => `Thought: ${thought}\nFinal Answer: ${answer}`;

const w = world();
const country = w.countries[0];
const company = w.companies[0];
const university = w.universities[0];

export const toolsExperts: Record<string, string[]> = {
  'tools-big-product': [
    call('I need an exact product of two large integers, so I use the calculator.', 'Calculator', { expression: '123456789 * 987654321' }),
    final('The calculator returned the exact product.', '123456789 × 987654321 = 121932631112635269'),
  ],
  'tools-fraction-sum': [
    call('Adding fractions exactly is a job for the calculator.', 'Calculator', { expression: '3/7 + 2/9' }),
    final('The sum in lowest terms is 41/63.', '41/63'),
  ],
  'tools-power-of-two': [
    call('2^100 has 31 digits; the calculator keeps it exact.', 'Calculator', { expression: '2^100' }),
    final('That is the exact value.', '1267650600228229401496703205376'),
  ],
  'tools-pizza-split': [
    call('Each friend pays 18.75 divided by 6.', 'Calculator', { expression: '18.75 / 6' }),
    final('Each pays 3.125 euros.', 'Each friend pays 3.125 euros (about 3.13).'),
  ],
  'tools-percent': [
    call('15% of 2340 is 2340 * 15 / 100.', 'Calculator', { expression: '2340 * 15 / 100' }),
    final('The result is 351.', '351'),
  ],
  'tools-primes-sum': [
    call('I will sieve the primes below 1000 and add them up.', 'JavaScript', {
      code: 'const n = 1000; const p = new Array(n).fill(true); p[0] = p[1] = false; for (let i = 2; i * i < n; i++) if (p[i]) for (let j = i * i; j < n; j += i) p[j] = false; let s = 0; for (let i = 0; i < n; i++) if (p[i]) s += i; console.log(s);',
    }),
    final('The program printed the sum.', 'The sum of the primes below 1000 is 76127.'),
  ],
  'tools-fibonacci': [
    call('I iterate the Fibonacci recurrence 30 times.', 'JavaScript', { code: 'let a = 1, b = 1; for (let i = 3; i <= 30; i++) [a, b] = [b, a + b]; b' }),
    final('F(30) is 832040.', '832040'),
  ],
  'tools-letter-count': [
    call('I count the "s" characters in the word.', 'JavaScript', { code: "'Mississippi'.split('').filter((c) => c === 's').length" }),
    final('There are 4.', 'The letter "s" occurs 4 times in "Mississippi".'),
  ],
  'tools-factorial': [
    call('17! is the product 1 × 2 × ... × 17; BigInt keeps it exact.', 'JavaScript', { code: 'let f = 1n; for (let i = 2n; i <= 17n; i++) f *= i; String(f)' }),
    final('The value is 355687428096000.', '17! = 355687428096000'),
  ],
  'tools-old-books': [
    call('I count the books with a year before 1950.', 'SQL', { query: 'SELECT COUNT(*) FROM books WHERE year < 1950' }),
    final('Three books qualify.', '3'),
  ],
  'tools-most-stock': [
    call('I sum the stock per author and take the largest.', 'SQL', {
      query: 'SELECT a.name, SUM(b.stock) AS copies FROM authors a JOIN books b ON b.author_id = a.id GROUP BY a.id ORDER BY copies DESC LIMIT 1',
    }),
    final('Aiko Tanabe has the most copies in stock.', 'Aiko Tanabe (27 copies)'),
  ],
  'tools-march-revenue': [
    call('Revenue is quantity times the book price, over orders dated in March 2024.', 'SQL', {
      query: "SELECT SUM(o.quantity * b.price) FROM orders o JOIN books b ON b.id = o.book_id WHERE o.order_date BETWEEN '2024-03-01' AND '2024-03-31'",
    }),
    final('The total is 171.25.', 'The March 2024 revenue was 171.25.'),
  ],
  'tools-marathon-km': [
    call('I convert 26.2 miles to kilometres.', 'UnitConverter', { value: 26.2, from_unit: 'mi', to_unit: 'km' }),
    final('A marathon is about 42.16 km.', 'About 42.165 kilometres (42.1648128 km).'),
  ],
  'tools-fever-celsius': [
    call('I convert 100 °F to °C.', 'UnitConverter', { value: 100, from_unit: 'F', to_unit: 'C' }),
    final('It is about 37.78 °C.', '100 °F is about 37.78 °C.'),
  ],
  'tools-gib-mib': [
    call('1 GiB is 1024 MiB; the converter confirms it.', 'UnitConverter', { value: 5, from_unit: 'GiB', to_unit: 'MiB' }),
    final('5 GiB = 5120 MiB.', '5120 MiB'),
  ],
  'tools-days-between': [
    call('I count the days between the two dates.', 'DateCalculator', { operation: 'days_between', date: '2024-01-15', end_date: '2024-03-01' }),
    final('There are 46 days (2024 is a leap year).', '46 days'),
  ],
  'tools-moon-weekday': [
    call('I look up the weekday of that date.', 'DateCalculator', { operation: 'weekday', date: '1969-07-20' }),
    final('It was a Sunday.', 'Sunday'),
  ],
  'tools-add-days': [
    call('I add 100 days to 2023-12-25.', 'DateCalculator', { operation: 'add_days', date: '2023-12-25', days: 100 }),
    final('The date is 2024-04-03.', '2024-04-03'),
  ],
  'tools-capital': [
    call(`I search the encyclopedia for ${country.name}.`, 'WikiSearch', { query: country.name }),
    final(`The article names the capital.`, country.capital),
  ],
  'tools-university-founder': [
    call(`I search for the ${university.name}.`, 'WikiSearch', { query: university.name }),
    final('The article says who founded it.', university.founder),
  ],
  'tools-founding-gap': [
    call(`I need the founding year of the ${university.name} first.`, 'WikiSearch', { query: university.name }),
    call(`It was founded in ${university.founded}. Now the founding year of ${company.name}.`, 'WikiSearch', { query: company.name }),
    call(`${company.name} was founded in ${company.founded}. I subtract.`, 'Calculator', { expression: `${company.founded} - ${university.founded}` }),
    final('The difference is the answer.', `${company.founded - university.founded} years`),
  ],
  // Negatives answer with lagent's Final Answer and no tool call (a bare reply is NoAction to lagent).
  'tools-haiku': [final('None of the available tools helps with writing poetry, so I will answer directly.', 'Soft flakes settle down\nthe first white hush of winter\nfootprints not yet made')],
  'tools-translate': [final('None of the available tools can translate, so I answer directly.', '"Good morning" in French is "bonjour".')],
  'tools-weather': [final('None of the available tools can look up live weather.', "I'm sorry, but I cannot tell you the current weather in Paris: none of the available tools can look it up. A weather service or app will have it.")],
  'tools-joke': [final('No tool is needed for this.', 'Why do programmers prefer dark mode? Because light attracts bugs.')],
  'tools-email': [final('None of the tools fits, so here is a draft.', 'Dear landlord, the heating in my flat has stopped working. Could you please arrange for it to be repaired as soon as possible? Thank you.')],
};
