import { describe, expect, it } from 'vitest';
import { ATTRIBUTES, KnowledgeGraph, RELATIONS, knowledgeGraph } from '../../src/lib/tasks/kg/graph';
import { envModule, KgEnvironment, setF1 } from '../../src/lib/tasks/kg/index';
import type { KgTask } from '../../src/lib/tasks/kg/questions';
import type { Action } from '../../src/lib/tasks/types';
import { replayExpert } from './helpers/replay-expert';

function tinyGraph(): KnowledgeGraph {
  const g = new KnowledgeGraph();
  for (const c of ['Alpha', 'Beta']) g.addEntity(c, 'location.city');
  g.addEntity('Zed', 'location.country');
  for (const p of ['Ann', 'Bob', 'Cy']) g.addEntity(p, 'people.person');
  for (const p of ['Painter', 'Poet']) g.addEntity(p, 'people.profession');
  g.add(RELATIONS.cityCountry, 'Alpha', 'Zed');
  g.add(RELATIONS.cityCountry, 'Beta', 'Zed');
  g.add(RELATIONS.birthplace, 'Ann', 'Alpha');
  g.add(RELATIONS.birthplace, 'Bob', 'Alpha');
  g.add(RELATIONS.birthplace, 'Cy', 'Beta');
  g.add(RELATIONS.profession, 'Ann', 'Painter');
  g.add(RELATIONS.profession, 'Bob', 'Poet');
  g.add(RELATIONS.profession, 'Cy', 'Painter');
  g.setAttribute('Ann', ATTRIBUTES.birthYear, 1900);
  g.setAttribute('Bob', ATTRIBUTES.birthYear, 1850);
  g.setAttribute('Cy', ATTRIBUTES.birthYear, 1850);
  g.setAttribute('Alpha', ATTRIBUTES.population, 5000);
  return g;
}

const task: KgTask = { id: 't', env: 'kg', title: 't', data: { question: 'which painters were born in zed?', entities: ['Zed', 'Painter'], answer: ['Ann', 'Cy'] } };
const call = (name: string, ...args: string[]): Action => ({ type: 'tool', name, args });

async function fresh() {
  const env = new KgEnvironment(tinyGraph());
  expect(await env.reset(task)).toBe('which painters were born in zed?\nEntities: [Zed, Painter]');
  return env;
}

describe('set F1', () => {
  it('scores overlap of answer sets', () => {
    expect(setF1(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(setF1(['a'], ['a', 'b'])).toBeCloseTo(2 / 3, 10);
    expect(setF1(['c'], ['a'])).toBe(0);
    expect(setF1([], ['a'])).toBe(0);
  });
});

describe('KgEnvironment functions', () => {
  it('get_relations lists the relations of an entity (names match case-insensitively)', async () => {
    const env = await fresh();
    expect((await env.step(call('get_relations', 'zed'))).observation).toBe('[location.country.cities]');
    expect((await env.step(call('get_relations', 'Ann'))).observation).toBe('[people.person.place_of_birth, people.person.profession]');
  });

  it('get_neighbors creates numbered variables typed by the relation range', async () => {
    const env = await fresh();
    expect((await env.step(call('get_neighbors', 'Zed', 'location.country.cities'))).observation).toBe('variable #0, which are instances of location.city');
    expect((await env.step(call('get_relations', '#0'))).observation).toBe('[location.city.country, location.location.people_born_here]');
    expect((await env.step(call('get_neighbors', '#0', 'location.location.people_born_here'))).observation).toBe('variable #1, which are instances of people.person');
    expect((await env.step({ type: 'final', answer: '#1' })).reward).toBeCloseTo(setF1(['Ann', 'Bob', 'Cy'], ['Ann', 'Cy']), 10);
  });

  it('intersection needs the same type', async () => {
    const env = await fresh();
    await env.step(call('get_neighbors', 'Zed', 'location.country.cities')); // #0 cities
    await env.step(call('get_neighbors', '#0', 'location.location.people_born_here')); // #1 Ann Bob Cy
    await env.step(call('get_neighbors', 'Painter', 'people.profession.people_with_this_profession')); // #2 Ann Cy
    expect((await env.step(call('intersection', '#0', '#1'))).observation).toBe(
      'intersection(#0, #1) cannot be executed. The two variables are not of the same type. You may further explore them by call get_relations',
    );
    expect((await env.step(call('intersection', '#1', '#2'))).observation).toBe('variable #3, which are instances of people.person');
    expect(await env.step({ type: 'final', answer: '#3' })).toEqual({ observation: 'Final Answer: #3 = [Ann, Cy]', done: true, reward: 1 });
  });

  it('get_attributes, argmax and argmin (ties keep every entity)', async () => {
    const env = await fresh();
    await env.step(call('get_neighbors', 'Painter', 'people.profession.people_with_this_profession')); // #0 Ann Cy
    await env.step(call('get_neighbors', 'Poet', 'people.profession.people_with_this_profession')); // #1 Bob
    expect((await env.step(call('get_attributes', '#0'))).observation).toBe('[people.person.birth_year]');
    expect((await env.step(call('argmax', '#0', 'people.person.birth_year'))).observation).toBe('variable #2, which are instances of people.person');
    expect((await env.step(call('argmin', '#0', 'location.city.population'))).observation).toBe(
      'argmin(#0, location.city.population) cannot be executed. You may make a mistake and need to fix it.',
    );
    await env.step(call('get_relations', 'Zed'));
    await env.step(call('get_neighbors', 'Zed', 'location.country.cities')); // #3
    await env.step(call('get_neighbors', '#3', 'location.location.people_born_here')); // #4 Ann Bob Cy
    expect((await env.step(call('argmin', '#4', 'people.person.birth_year'))).observation).toBe('variable #5, which are instances of people.person');
    const view = await env.view();
    expect((view.variables as { sample: string[] }[])[2].sample).toEqual(['Ann']);
    expect((view.variables as { sample: string[] }[])[5].sample).toEqual(['Bob', 'Cy']);
  });

  it('count makes a number variable that can be the final answer', async () => {
    const env = await fresh();
    await env.step(call('get_neighbors', 'Painter', 'people.profession.people_with_this_profession'));
    expect((await env.step(call('count', '#0'))).observation).toBe('variable #1, which is a number');
    expect((await env.step(call('get_relations', '#1'))).observation).toBe('get_relations(#1) cannot be executed. You may make a mistake and need to fix it.');
    const env2 = new KgEnvironment(tinyGraph());
    await env2.reset({ ...task, data: { ...task.data, answer: ['2'] } });
    await env2.step(call('get_neighbors', 'Painter', 'people.profession.people_with_this_profession'));
    await env2.step(call('count', '#0'));
    expect(await env2.step({ type: 'final', answer: '#1' })).toEqual({ observation: 'Final Answer: #1 = [2]', done: true, reward: 1 });
  });

  it('rejects unknown entities, relations, variables and functions without ending the episode', async () => {
    const env = await fresh();
    expect((await env.step(call('get_relations', 'Atlantis'))).observation).toBe('get_relations(Atlantis) cannot be executed. You may make a mistake and need to fix it.');
    expect((await env.step(call('get_neighbors', 'Zed', 'people.person.profession'))).observation).toBe(
      'get_neighbors(Zed, people.person.profession) cannot be executed. You may make a mistake and need to fix it.',
    );
    expect((await env.step(call('get_relations', '#7'))).observation).toBe('get_relations(#7) cannot be executed. You may make a mistake and need to fix it.');
    expect((await env.step(call('count', 'Zed', 'x'))).observation).toBe('count(Zed, x) cannot be executed. You may make a mistake and need to fix it.');
    expect((await env.step(call('union', '#0', '#1'))).observation).toBe('Function is not executed!');
    const r = await env.step({ type: 'final', answer: '#4' });
    expect(r).toEqual({ observation: 'Invalid variable id! Need to recheck the action.', done: false, reward: 0 });
  });

  it('accepts "variable #N" and comma-separated string arguments', async () => {
    const env = await fresh();
    expect((await env.step({ type: 'tool', name: 'get_neighbors', args: 'Zed, location.country.cities' })).observation).toBe(
      'variable #0, which are instances of location.city',
    );
    expect((await env.step(call('count', 'variable #0'))).observation).toBe('variable #1, which is a number');
  });
});

describe('the bundled graph and questions', () => {
  it('has at least 300 entities and 1,000 triples, all typed', () => {
    const g = knowledgeGraph();
    expect(g.types.size).toBeGreaterThanOrEqual(300);
    expect(g.triples.length).toBeGreaterThanOrEqual(1000);
    for (const [s, , o] of g.triples) {
      expect(g.types.has(s)).toBe(true);
      expect(g.types.has(o)).toBe(true);
    }
  });

  it('has at least 15 multi-hop questions whose start entities exist', () => {
    const g = knowledgeGraph();
    expect(envModule.tasks.length).toBeGreaterThanOrEqual(15);
    for (const t of envModule.tasks) {
      for (const e of t.data.entities) expect(g.resolve(e), e).toBe(e);
      expect(t.data.answer.length).toBeGreaterThan(0);
      expect(envModule.experts[t.id].length, t.id).toBeGreaterThanOrEqual(5);
    }
  });

  it('every expert trajectory, parsed by the kg protocol, reaches reward 1 with no failed call', async () => {
    for (const t of envModule.tasks) {
      const results = await replayExpert(envModule, t);
      for (const r of results.slice(0, -1)) expect(r.observation, t.id).toMatch(/^(\[|variable #\d+, which)/);
      expect(results.at(-1), t.id).toMatchObject({ done: true, reward: 1 });
    }
  });
});
