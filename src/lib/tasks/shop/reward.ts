/**
 * WebShop's purchase reward: (matched attributes + matched options + price within budget) divided by
 * (goal attributes + goal options + 1), times a type factor that checks the bought product is the right kind
 * of thing (same query, two shared category levels, or enough shared title nouns).
 */
import { tokenSetRatio } from './fuzzy';
import type { Product } from './catalog';

export interface ShopGoal {
  /** The product the instruction was written from. */
  asin: string;
  instruction: string;
  query: string;
  category: string;
  /** Nouns of the target product's title. */
  nouns: string[];
  attributes: string[];
  /** Wanted option values, e.g. ['navy blue', 'large']. */
  options: string[];
  priceUpper: number;
}

/** Options matched exactly rather than fuzzily (WebShop: size). */
const EXACT_OPTIONS = ['size'];

export function typeReward(p: Product, goal: ShopGoal): { rType: number; queryMatch: boolean; categoryMatch: boolean; titleScore: number } {
  const queryMatch = p.query === goal.query;
  const levels = (c: string) => new Set(c.split('›').map((x) => x.trim()));
  const goalLevels = levels(goal.category);
  const categoryMatch = [...levels(p.category)].filter((x) => goalLevels.has(x)).length >= 2;
  const wanted = new Set(goal.nouns);
  const shared = new Set(p.nouns.filter((n) => wanted.has(n))).size;
  const titleScore = wanted.size ? shared / wanted.size : 0.2;
  let rType = queryMatch || categoryMatch || titleScore > 0.2 ? 1 : 0.5;
  if (titleScore < 0.1) rType = 0.1;
  if (titleScore === 0) rType = 0;
  return { rType, queryMatch, categoryMatch, titleScore };
}

const mentions = (p: Product, text: string) =>
  p.title.toLowerCase().includes(text) || p.features.join(' ').toLowerCase().includes(text) || p.description.toLowerCase().includes(text);

export function attributeMatches(p: Product, goalAttributes: readonly string[]): number {
  return goalAttributes.filter((g) => p.attributes.some((a) => tokenSetRatio(a, g) > 85) || mentions(p, g)).length;
}

export function optionMatches(p: Product, goalOptions: readonly string[], chosen: Record<string, string>): number {
  let n = 0;
  for (const [name, value] of Object.entries(chosen)) {
    const v = value.toLowerCase();
    const matched = EXACT_OPTIONS.includes(name.toLowerCase()) ? goalOptions.includes(v) : goalOptions.some((g) => tokenSetRatio(g, v) > 85);
    if (matched || mentions(p, v)) n++;
  }
  return n;
}

export function shopReward(p: Product, goal: ShopGoal, chosen: Record<string, string>): { reward: number; rType: number; attributes: number; options: number; priceOk: boolean } {
  const { rType } = typeReward(p, goal);
  const attributes = attributeMatches(p, goal.attributes);
  const options = optionMatches(p, goal.options, chosen);
  const priceOk = p.price <= goal.priceUpper;
  // WebShop does not cap this; picking more matching options than the goal names could pass 1, and rewards here are 0..1.
  const reward = Math.min(1, ((attributes + options + (priceOk ? 1 : 0)) / (goal.attributes.length + goal.options.length + 1)) * rType);
  return { reward, rType, attributes, options, priceOk };
}
