/**
 * Writes tests/fixtures/golden/shop/input.json: scripted replies for one of our shop tasks and what our store shows
 * before and after each action the harness's regex takes from them (page text, available actions, reward, done),
 * which scripts/golden/shop.py plays to AgentBench's webshop harness through a stub of WebShop's text env. The pages
 * are our store's (the real WebShop site is not reproduced); the golden test checks the harness's framing of them.
 * Run: npx tsx scripts/golden/shop-input.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShopEnvironment } from '../../src/lib/tasks/shop/index';
import { shopExperts, shopTasks } from '../../src/lib/tasks/shop/goals';

const HEADER = '\n\nAvailable Actions:\n';
const split = (observation: string) => {
  const i = observation.lastIndexOf(HEADER);
  return { observation: observation.slice(0, i), available: JSON.parse(observation.slice(i + HEADER.length)) };
};

const task = shopTasks[0];
const expert = shopExperts[task.id];
const replies = [
  expert[0],
  'Thought:\nI think I should click on the first result.\n\nAction:\nclick[b99zzzzzzz]',
  expert[1],
  'I think I should pick the red one.\nclick[red]',
];
const env = new ShopEnvironment();
const start = split(await env.reset(task));
const steps = [];
for (const reply of replies) {
  // webshop/__init__.py:66, the harness's own regex.
  const m = /[Aa]ction: *\n *((search|click)\[(.+?)\])/.exec(reply);
  if (!m) break;
  const r = await env.step({ type: 'tool', name: m[2], args: m[3] });
  steps.push({ action: m[1], ...split(r.observation), reward: r.reward, done: r.done });
}
const out = join(import.meta.dirname, '../../tests/fixtures/golden/shop/input.json');
writeFileSync(out, JSON.stringify({ task: task.id, replies, start, steps }, null, 1) + '\n');
console.log(`wrote ${out}`);
