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

/** One turn in the shape of AgentBench's WebShop prompt. */
const say = (thought: string, action: string) => `Thought:\nI think ${thought}\n\nAction:\n${action}`;

function expertTurns(goal: ShopGoal, search: ProductSearch): string[] {
  const keywords = `${goal.query} ${goal.attributes.join(' ')}`;
  const turns = [say(`I should use the search bar to look for ${goal.query} that ${goal.attributes.join(' and ')}.`, `search[${keywords}]`)];
  const results = search.search(keywords);
  const rank = results.findIndex((p) => p.asin === goal.asin);
  if (rank < 0) throw new Error(`shop goals: ${goal.asin} is not found by its own keywords "${keywords}"`);
  for (let page = 0; page < Math.floor(rank / RESULTS_PER_PAGE); page++) {
    turns.push(say('the matching item is not on this page, so I should look at the next page.', 'click[next >]'));
  }
  const target = products.find((p) => p.asin === goal.asin)!;
  turns.push(say(`I should click on ${goal.asin}, which matches the request and is within budget.`, `click[${goal.asin.toLowerCase()}]`));
  for (const v of goal.options) turns.push(say(`I should click on the '${v}' option.`, `click[${v}]`));
  turns.push(say(`the ${target.query} has the options I need and costs $${target.price.toFixed(2)}, so I should click on 'Buy Now'.`, 'click[buy now]'));
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
