/** Shopping instructions written from catalogue products, WebShop style, with the expert's turns. */
import type { TaskSpec } from '../types';
import { createRng } from '../random';
import { products, type Product } from './catalog';
import type { ShopGoal } from './reward';
import { catalogSearch, type ProductSearch } from './search';

export type ShopTask = TaskSpec & { env: 'shop'; data: ShopGoal };

export const RESULTS_PER_PAGE = 10;
const TASK_COUNT = 30;
const OPENINGS = ['i need', "i'm looking for", 'find me', 'i want to buy', 'i am looking for'];

/** WebShop's budget: one of the next four multiples of ten above the price, the larger of two drawn. */
function priceUpper(price: number, rng: ReturnType<typeof createRng>): number {
  const above = Array.from({ length: 4 }, (_, i) => (Math.floor(price / 10) + 1 + i) * 10);
  const [a, b] = rng.shuffle(above).slice(0, 2);
  return Math.max(a, b);
}

function goalFor(p: Product, rng: ReturnType<typeof createRng>): ShopGoal {
  const attributes = rng.shuffle(p.attributes).slice(0, rng.int(1, 2));
  const chosen = Object.entries(p.options).map(([name, values]) => [name, rng.pick(values)] as const);
  const upper = priceUpper(p.price, rng);
  const article = /^[aeio]/.test(p.query) ? 'an' : 'a';
  const plural = /s$/.test(p.query) && !/ss$/.test(p.query);
  const optionText = chosen.map(([n, v]) => `${n}: ${v}`).join(', and ');
  const instruction =
    `${rng.pick(OPENINGS)} ${plural ? '' : `${article} `}${p.query} that ${plural ? 'are' : 'is'} ${attributes.join(' and ')}` +
    `${optionText ? `, with ${optionText}` : ''}, and price lower than ${upper.toFixed(2)} dollars`;
  return {
    asin: p.asin,
    instruction,
    query: p.query,
    category: p.category,
    nouns: p.nouns,
    attributes,
    options: chosen.map(([, v]) => v),
    priceUpper: upper,
  };
}

function expertTurns(goal: ShopGoal, search: ProductSearch): string[] {
  const keywords = `${goal.query} ${goal.attributes.join(' ')}`;
  const turns = [`Thought: I should search for ${goal.query} that ${goal.attributes.join(' and ')}.\nAction: search[${keywords}]`];
  const results = search.search(keywords);
  const rank = results.findIndex((p) => p.asin === goal.asin);
  if (rank < 0) throw new Error(`shop goals: ${goal.asin} is not found by its own keywords "${keywords}"`);
  for (let page = 0; page < Math.floor(rank / RESULTS_PER_PAGE); page++) {
    turns.push(`Thought: The matching item is not on this page. I will look at the next page.\nAction: click[Next >]`);
  }
  const target = products.find((p) => p.asin === goal.asin)!;
  turns.push(`Thought: ${goal.asin} looks like it matches the request and is within budget. I will open it.\nAction: click[${goal.asin}]`);
  for (const v of goal.options) turns.push(`Thought: I need to select ${v}.\nAction: click[${v}]`);
  turns.push(`Thought: The ${target.query} has the options I need and costs $${target.price.toFixed(2)}. I will buy it.\nAction: click[Buy Now]`);
  return turns;
}

function build(): { tasks: ShopTask[]; experts: Record<string, string[]> } {
  const rng = createRng(5150);
  const search = catalogSearch();
  const tasks: ShopTask[] = [];
  const experts: Record<string, string[]> = {};
  rng
    .shuffle(products)
    .slice(0, TASK_COUNT)
    .forEach((p, i) => {
      const goal = goalFor(p, rng);
      const id = `shop-${i + 1}`;
      tasks.push({ id, env: 'shop', title: goal.instruction[0].toUpperCase() + goal.instruction.slice(1), data: goal });
      experts[id] = expertTurns(goal, search);
    });
  return { tasks, experts };
}

export const { tasks: shopTasks, experts: shopExperts } = build();
