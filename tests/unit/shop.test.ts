import { describe, expect, it } from 'vitest';
import { products, type Product } from '../../src/lib/tasks/shop/catalog';
import { ratio, tokenSetRatio } from '../../src/lib/tasks/shop/fuzzy';
import { envModule, ShopEnvironment } from '../../src/lib/tasks/shop/index';
import type { ShopTask } from '../../src/lib/tasks/shop/goals';
import { shopReward, typeReward, type ShopGoal } from '../../src/lib/tasks/shop/reward';
import type { Action } from '../../src/lib/tasks/types';
import { replayExpert } from './helpers/replay-expert';
import { replayTurns } from '../../src/lib/agent/replay';
import { getProtocol } from '../../src/lib/agent/protocols';

function jacket(n: number, extra: Partial<Product> = {}): Product {
  return {
    asin: `B000000${String(n).padStart(3, '0')}`,
    title: `Acme Rain Jacket ${n}, Water Resistant`,
    category: 'Clothing › Men › Jackets',
    query: 'rain jacket',
    nouns: ['acme', 'rain', 'jacket'],
    attributes: ['water resistant', 'packable'],
    options: { color: ['navy blue', 'black'], size: ['medium', 'large'] },
    price: 40 + n,
    description: 'A light shell for wet days.',
    features: ['Water resistant', 'Packable'],
    rating: 4.5,
    reviews: ['Keeps me dry.', 'Fits well.'],
    ...extra,
  };
}

const goal: ShopGoal = {
  asin: 'B000000001',
  instruction: 'i need a rain jacket that is water resistant and hooded, with color: navy blue, and size: large, and price lower than 50.00 dollars',
  query: 'rain jacket',
  category: 'Clothing › Men › Jackets',
  nouns: ['acme', 'rain', 'jacket'],
  attributes: ['water resistant', 'hooded'],
  options: ['navy blue', 'large'],
  priceUpper: 50,
};
const task: ShopTask = { id: 't', env: 'shop', title: 't', data: goal };
const click = (args: string): Action => ({ type: 'tool', name: 'click', args });
const search = (args: string): Action => ({ type: 'tool', name: 'search', args });

describe('fuzzy scores', () => {
  it('ratio is 2·LCS / total length, in percent', () => {
    expect(ratio('abc', 'abc')).toBe(100);
    expect(ratio('abcd', 'abce')).toBe(75);
    expect(ratio('', '')).toBe(100);
  });
  it('token set ratio ignores order and scores subsets 100', () => {
    expect(tokenSetRatio('water resistant', 'Resistant, water')).toBe(100);
    expect(tokenSetRatio('water resistant jacket', 'water resistant')).toBe(100);
    expect(tokenSetRatio('noise cancelling', 'noise reducing')).toBeLessThan(85);
    expect(tokenSetRatio('', 'x')).toBe(0);
  });
});

describe('WebShop reward', () => {
  it('counts attributes, options and price over goal size', () => {
    // water resistant matches, hooded does not; navy blue matches, medium does not; 41 <= 50.
    expect(shopReward(jacket(1), goal, { color: 'navy blue', size: 'medium' }).reward).toBeCloseTo(3 / 5, 10);
    expect(shopReward(jacket(1, { attributes: ['water resistant', 'hooded'] }), goal, { color: 'navy blue', size: 'large' }).reward).toBe(1);
    expect(shopReward(jacket(20), goal, { color: 'navy blue', size: 'large' }).reward).toBeCloseTo(3 / 5, 10);
  });
  it('finds attributes in the title, features or description when not listed', () => {
    // "water resistant" is only in the title, "hooded" only in the description.
    const p = jacket(1, { attributes: ['packable'], description: 'A hooded shell.' });
    expect(shopReward(p, goal, {}).attributes).toBe(2);
    expect(shopReward(jacket(1, { attributes: ['packable'], title: 'Acme Rain Jacket', features: ['Packable'] }), goal, {}).attributes).toBe(0);
  });
  it('matches size exactly but other options fuzzily', () => {
    expect(shopReward(jacket(1), { ...goal, options: ['navy'] }, { color: 'navy blue' }).options).toBe(1);
    expect(shopReward(jacket(1), { ...goal, options: ['large'] }, { size: 'x-large' }).options).toBe(0);
  });
  it('scales by the type factor', () => {
    const other = jacket(1, { query: 'yoga mat', category: 'Sports › Yoga', nouns: ['zen', 'yoga', 'mat'] });
    expect(typeReward(other, goal).rType).toBe(0);
    expect(shopReward(other, goal, { color: 'navy blue', size: 'large' }).reward).toBe(0);
    // No query or category match, 1 of 3 goal nouns shared (> 0.2): full type reward.
    expect(typeReward(jacket(1, { query: 'coat', category: 'Outdoor › Coats', nouns: ['acme', 'coat'] }), goal).rType).toBe(1);
    // Same category levels but only 1 of 11 nouns: title score under 0.1 gives 0.1.
    const many = { ...goal, nouns: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'acme'] };
    expect(typeReward(jacket(1, { query: 'coat' }), many).rType).toBe(0.1);
    // 1 of 5 nouns (0.2, not above) and nothing else matching: half.
    const five = { ...goal, nouns: ['acme', 'b', 'c', 'd', 'e'] };
    expect(typeReward(jacket(1, { query: 'coat', category: 'Outdoor › Coats' }), five).rType).toBe(0.5);
  });
});

describe('ShopEnvironment pages', () => {
  const catalog = Array.from({ length: 12 }, (_, i) => jacket(i + 1));

  async function fresh() {
    const env = new ShopEnvironment(catalog);
    const first = await env.reset(task);
    expect(first).toBe(`WebShop [SEP] Instruction: [SEP] ${goal.instruction} [SEP] Search\n\nAvailable Actions:\n{"has_search_bar": true, "clickables": ["search"]}`);
    return env;
  }

  it('search lists 10 results per page with navigation', async () => {
    const env = await fresh();
    const r = await env.step(search('rain jacket'));
    expect(r.done).toBe(false);
    expect(r.observation.startsWith(`Instruction: [SEP] ${goal.instruction} [SEP] Back to Search [SEP] Page 1 (Total results: 12) [SEP] Next > [SEP] B000000001 [SEP] Acme Rain Jacket 1, Water Resistant [SEP] $41.00 [SEP] B000000002`)).toBe(true);
    expect(r.observation).toContain('"clickables": ["back to search", "next >", "b000000001",');
    const p2 = await env.step(click('Next >'));
    expect(p2.observation).toContain('[SEP] Page 2 (Total results: 12) [SEP] < Prev [SEP] B000000011 [SEP]');
    expect(p2.observation).toContain('"clickables": ["back to search", "< prev", "b000000011", "b000000012"]}');
    expect((await env.step(click('< prev'))).observation).toContain('Page 1 (Total results: 12)');
  });

  it('a product page shows options, price, rating and sections; sections open and < Prev returns', async () => {
    const env = await fresh();
    await env.step(search('rain jacket'));
    const item = await env.step(click('b000000001'));
    expect(item.observation).toBe(
      `Instruction: [SEP] ${goal.instruction} [SEP] Back to Search [SEP] < Prev [SEP] color [SEP] navy blue [SEP] black [SEP] size [SEP] medium [SEP] large [SEP] ` +
        `Acme Rain Jacket 1, Water Resistant [SEP] Price: $41.00 [SEP] Rating: 4.5 [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now\n\n` +
        `Available Actions:\n{"has_search_bar": false, "clickables": ["back to search", "< prev", "navy blue", "black", "medium", "large", "description", "features", "reviews", "buy now"]}`,
    );
    expect((await env.step(click('Features'))).observation).toBe(
      `Instruction: [SEP] ${goal.instruction} [SEP] Back to Search [SEP] < Prev [SEP] Water resistant [SEP] Packable\n\nAvailable Actions:\n{"has_search_bar": false, "clickables": ["back to search", "< prev"]}`,
    );
    expect((await env.step(click('< Prev'))).observation).toBe(item.observation);
    expect((await env.step(click('Back to Search'))).observation).toContain('{"has_search_bar": true, "clickables": ["search"]}');
  });

  it('clicks that are not available and search off the search page do nothing, as in WebShop', async () => {
    const env = await fresh();
    const start = await env.reset(task);
    expect(await env.step(click('buy now'))).toEqual({ observation: start, done: false, reward: 0 });
    const results = await env.step(search('rain jacket'));
    expect(await env.step(search('socks'))).toEqual(results);
    expect(results.observation).toContain('Page 1 (Total results: 12)');
  });

  it('buy now ends the episode with the reward for the chosen options', async () => {
    const env = await fresh();
    await env.step(search('rain jacket'));
    await env.step(click('B000000001'));
    await env.step(click('navy blue'));
    await env.step(click('medium'));
    const r = await env.step(click('Buy Now'));
    expect(r.done).toBe(true);
    expect(r.reward).toBeCloseTo(3 / 5, 10);
    expect(r.observation).toBe('Thank you for shopping with us! [SEP] Purchased [SEP] B000000001 [SEP] Acme Rain Jacket 1, Water Resistant [SEP] Your score (min 0.0, max 1.0) [SEP] 0.60');
    expect((await env.step(click('x'))).done).toBe(true);
  });
});

describe('the bundled shop', () => {
  it('has at least 200 products with unique ids, options and positive prices', () => {
    expect(products.length).toBeGreaterThanOrEqual(200);
    expect(new Set(products.map((p) => p.asin)).size).toBe(products.length);
    for (const p of products) {
      expect(p.price).toBeGreaterThan(0);
      expect(p.attributes.length).toBeGreaterThanOrEqual(2);
      for (const values of Object.values(p.options)) expect(values.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('every instruction names its budget and the expert, parsed by the shop protocol, buys with reward 1', async () => {
    expect(envModule.tasks.length).toBeGreaterThanOrEqual(20);
    for (const t of envModule.tasks) {
      expect(t.data.instruction).toMatch(/, and price lower than \d+\.00 dollars$/);
      const results = await replayExpert(envModule, t);
      expect(results.at(-1), t.id).toMatchObject({ done: true, reward: 1 });
      const strict = await replayTurns(await envModule.create(), getProtocol('shop'), t, envModule.experts[t.id], { mode: 'strict' });
      expect(strict.trace.every((s) => s.parseError === undefined), t.id).toBe(true);
      expect(strict, t.id).toMatchObject({ done: true, reward: 1 });
    }
  });
});
