import { describe, expect, it } from 'vitest';
import { envModule, WikiEnvironment } from '../../src/lib/tasks/wiki/index';
import { exactMatch, f1Score, normalizeAnswer } from '../../src/lib/tasks/wiki/score';
import type { Action } from '../../src/lib/tasks/types';
import type { WikiTask } from '../../src/lib/tasks/wiki/questions';
import { world } from '../../src/lib/tasks/world/world';
import { replayExpert } from './helpers/replay-expert';
import { getProtocol } from '../../src/lib/agent/protocols';
import { replayTurns } from '../../src/lib/agent/replay';

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

describe('WikiEnvironment (langchain DocstoreExplorer observations)', () => {
  it('search[entity] shows the first paragraph of the page, its lines as they are', async () => {
    const env = await fresh();
    const c = w.countries[2];
    const r = await env.step(search(c.name.toLowerCase()));
    expect(r.done).toBe(false);
    expect(r.observation.startsWith(`${c.name} is a country in the Veluna archipelago. Its capital and largest city is ${c.capital}. `)).toBe(true);
    expect(r.observation).toContain(`the ${c.currency}.\nOther cities of ${c.name} include `);
    expect(getProtocol('wiki').formatObservation(r.observation, 3)).toContain(`Observation 3: ${c.name} is`);
    expect(getProtocol('wiki').formatObservation(r.observation, 3)).toContain(`the ${c.currency}.Other cities`);
  });

  it('an unknown entity lists up to 10 similar titles as a Python list', async () => {
    const env = await fresh();
    const river = w.rivers[0].name; // "<Stem> River"
    const stem = river.replace(/ River$/, '');
    const r = await env.step(search(`${stem} stream`));
    expect(r.observation.startsWith(`Could not find [${stem} stream]. Similar: ['`)).toBe(true);
    expect(r.observation).toContain(`'${river}'`);
    expect(r.observation.split("', '").length).toBeLessThanOrEqual(10);
    expect((await env.step(search('zzzzqqq'))).observation).toBe('Could not find [zzzzqqq]. Similar: []');
  });

  it('lookup[keyword] walks the paragraphs holding the keyword; the same keyword again moves on', async () => {
    const env = await fresh();
    expect((await env.step(lookup('capital'))).observation).toBe(
      'The last page Searched was not found, so you cannot Lookup a keyword in it. Please try one of the similar pages given.',
    );
    const c = w.countries[0];
    const page = (await env.step(search(c.name))).observation;
    expect((await env.step(lookup('Other Cities'))).observation).toBe(`(Result 1/1) ${page}`);
    expect((await env.step(lookup('other cities'))).observation).toBe('No More Results');
    expect((await env.step(lookup('zebra'))).observation).toBe('No Results');
  });

  it('finish[answer]: the observation says exact match, the reward is F1, and the episode ends', async () => {
    let env = await fresh();
    expect(await env.step({ type: 'final', answer: 'drasko river' })).toEqual({ observation: 'Answer is CORRECT', done: true, reward: 1 });
    expect((await env.step(search('x'))).done).toBe(true);
    env = await fresh();
    expect(await env.step({ type: 'final', answer: 'Drasko' })).toEqual({ observation: 'Answer is INCORRECT', done: true, reward: 2 / 3 });
    expect(await env.view()).toMatchObject({ em: false, f1: 2 / 3, gold: 'The Drasko River' });
  });

  it('answers any other action with the harness\'s Invalid Action text', async () => {
    const env = await fresh();
    const r = await env.step({ type: 'tool', name: 'open', args: 'x' });
    expect(r.observation).toBe('Invalid Action. Valid Actions are Lookup[<topic>] Search[<topic>] and Finish[<answer>].');
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

  it('every question is answerable: the expert, parsed by the wiki protocol in either mode, opens both pages and reaches F1 1', async () => {
    const protocol = getProtocol('wiki');
    for (const t of envModule.tasks) {
      const strict = await replayTurns(new WikiEnvironment(), protocol, t, envModule.experts[t.id], { mode: 'strict' });
      expect(strict.trace.map((s) => s.parseError), t.id).toEqual([undefined, undefined, undefined]);
      expect(strict, t.id).toMatchObject({ done: true, reward: 1 });
      const results = await replayExpert(envModule, t);
      expect(results).toHaveLength(3);
      for (const r of results.slice(0, 2)) expect(r.observation.startsWith('Could not find'), t.id).toBe(false);
      expect(results[2], t.id).toEqual({ observation: 'Answer is CORRECT', done: true, reward: 1 });
      // The evidence for a bridge answer is on the second page the expert opened.
      if (t.data.kind === 'bridge') expect(results[1].observation, t.id).toContain(t.data.answer);
    }
  });
});
