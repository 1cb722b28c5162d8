import { describe, expect, it } from 'vitest';
import { envModule, WikiEnvironment } from '../../src/lib/tasks/wiki/index';
import { exactMatch, f1Score, normalizeAnswer } from '../../src/lib/tasks/wiki/score';
import type { Action } from '../../src/lib/tasks/types';
import type { WikiTask } from '../../src/lib/tasks/wiki/questions';
import { world } from '../../src/lib/tasks/world/world';
import { replayExpert } from './helpers/replay-expert';

const w = world();
const task: WikiTask = { id: 't', env: 'wiki', title: 'q', data: { question: 'What is it?', answer: 'The Drasko River', kind: 'bridge', path: [] } };
const search = (args: string): Action => ({ type: 'tool', name: 'search', args });
const lookup = (args: string): Action => ({ type: 'tool', name: 'lookup', args });

async function fresh() {
  const env = new WikiEnvironment();
  expect(await env.reset(task)).toBe('What is it?');
  return env;
}

describe('HotpotQA answer normalisation', () => {
  it('drops case, punctuation, articles and extra spaces', () => {
    expect(normalizeAnswer('  The Cat,  sat on a MAT! ')).toBe('cat sat on mat');
    expect(exactMatch('the drasko river', 'Drasko River.')).toBe(true);
    expect(exactMatch('Drasko', 'Drasko River')).toBe(false);
  });
  it('gives token F1, with yes/no all or nothing', () => {
    expect(f1Score('Drasko', 'Drasko River')).toBeCloseTo(2 / 3, 10);
    expect(f1Score('no', 'yes')).toBe(0);
    expect(f1Score('yes', 'yes')).toBe(1);
  });
});

describe('WikiEnvironment', () => {
  it('search[entity] shows the first five sentences of the page', async () => {
    const env = await fresh();
    const c = w.countries[2];
    const r = await env.step(search(c.name.toLowerCase()));
    expect(r).toEqual({
      observation:
        `${c.name} is a country in the Veluna archipelago. Its capital and largest city is ${c.capital}. ` +
        `${c.name} was founded as a kingdom in ${c.founded}. The official language of ${c.name} is ${c.language}. ` +
        `The currency of ${c.name} is the ${c.currency}.`,
      done: false,
      reward: 0,
    });
  });

  it('an unknown entity lists similar titles as a Python list', async () => {
    const env = await fresh();
    const river = w.rivers[0].name; // "<Stem> River"
    const stem = river.replace(/ River$/, '');
    const r = await env.step(search(`${stem} stream`));
    expect(r.observation.startsWith(`Could not find ${stem} stream. Similar: ['`)).toBe(true);
    expect(r.observation).toContain(`'${river}'`);
    expect((await env.step(search('zzzzqqq'))).observation).toBe('Could not find zzzzqqq. Similar: [].');
  });

  it('lookup[keyword] walks the open page sentence by sentence', async () => {
    const env = await fresh();
    expect((await env.step(lookup('capital'))).observation).toBe('No more results.');
    const c = w.countries[0];
    await env.step(search(c.name));
    const others = w.cities.filter((x) => x.country === c.name && x.name !== c.capital).map((x) => x.name);
    expect((await env.step(lookup('other cities'))).observation).toBe(
      `(Result 1 / 1) Other cities of ${c.name} include ${others.slice(0, 3).join(', ')} and ${others[3]}.`,
    );
    expect((await env.step(lookup('other cities'))).observation).toBe('No more results.');
    const of = await env.step(lookup(c.name));
    expect(of.observation.startsWith(`(Result 1 / 5) ${c.name} is a country`)).toBe(true);
  });

  it('finish[answer] scores exact match after normalisation and ends the episode', async () => {
    let env = await fresh();
    expect(await env.step({ type: 'final', answer: 'drasko river' })).toEqual({ observation: 'Episode finished, reward = 1', done: true, reward: 1 });
    expect((await env.step(search('x'))).done).toBe(true);
    env = await fresh();
    expect(await env.step({ type: 'final', answer: 'Drasko' })).toEqual({ observation: 'Episode finished, reward = 0', done: true, reward: 0 });
  });

  it('names the valid actions when given an invalid one', async () => {
    const env = await fresh();
    const r = await env.step({ type: 'tool', name: 'open', args: 'x' });
    expect(r.observation).toBe('Invalid action: open[x]. Valid actions are Search[entity], Lookup[keyword] and Finish[answer].');
    expect(r.done).toBe(false);
  });
});

describe('wiki task catalog', () => {
  it('has at least 20 two-hop questions with unique ids and questions', () => {
    expect(envModule.tasks.length).toBeGreaterThanOrEqual(20);
    expect(new Set(envModule.tasks.map((t) => t.id)).size).toBe(envModule.tasks.length);
    expect(new Set(envModule.tasks.map((t) => t.data.question)).size).toBe(envModule.tasks.length);
    for (const t of envModule.tasks) expect(t.data.path).toHaveLength(2);
  });

  it('every question is answerable: the expert, parsed by the wiki protocol, opens both pages and reaches reward 1', async () => {
    for (const t of envModule.tasks) {
      const results = await replayExpert(envModule, t);
      expect(results).toHaveLength(3);
      for (const r of results.slice(0, 2)) expect(r.observation.startsWith('Could not find'), t.id).toBe(false);
      expect(results[2], t.id).toEqual({ observation: 'Episode finished, reward = 1', done: true, reward: 1 });
      // The evidence for a bridge answer is on the second page the expert opened.
      if (t.data.kind === 'bridge') expect(results[1].observation, t.id).toContain(t.data.answer);
    }
  });
});
