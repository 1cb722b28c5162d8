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

const task: KgTask = {
  id: 't',
  env: 'kg',
  title: 't',
  data: { question: 'which painters were born in zed?', entities: ['Zed', 'Painter', 'Poet', 'Ann'], answer: ['Ann', 'Cy'] },
};
const call = (name: string, ...args: string[]): Action => ({ type: 'tool', name, args });
const line = (text: string): Action => ({ type: 'tool', name: 'action', args: text });
const obs = async (env: KgEnvironment, action: Action) => (await env.step(action)).observation;
const CANNOT = 'cannot be executed. You may make a mistake and need to fix it.';

async function fresh() {
  const env = new KgEnvironment(tinyGraph());
  expect(await env.reset(task)).toBe('which painters were born in zed?\nEntities: [Zed, Painter, Poet, Ann]');
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

describe('KgEnvironment functions (api.py semantics)', () => {
  it('get_relations lists the relations of a task entity, with the harness\'s "Observation: " prefix', async () => {
    const env = await fresh();
    expect(await obs(env, call('get_relations', 'Zed'))).toBe('Observation: [location.country.cities]');
    expect(await obs(env, call('get_relations', 'Ann'))).toBe('Observation: [people.person.place_of_birth, people.person.profession]');
    // Not one of the task's entities (task.py:254): text, which api.py accepts only as a Freebase id.
    expect(await obs(env, call('get_relations', 'Bob'))).toBe(`get_relations(Bob) ${CANNOT}`);
  });

  it('get_neighbors needs an earlier get_relations of the same variable and a relation it listed (api.py:94)', async () => {
    const env = await fresh();
    expect(await obs(env, call('get_neighbors', 'Zed', 'location.country.cities'))).toBe(`get_neighbors(Zed, location.country.cities) ${CANNOT}`);
    await env.step(call('get_relations', 'Zed'));
    expect(await obs(env, call('get_neighbors', 'Zed', 'people.person.profession'))).toBe(`get_neighbors(Zed, people.person.profession) ${CANNOT}`);
    expect(await obs(env, call('get_neighbors', 'Zed', 'location.country.cities'))).toBe('Observation: variable #0, which are instances of location.city');
    expect(await obs(env, call('get_neighbors', '#0', 'location.location.people_born_here'))).toBe(`get_neighbors(#0, location.location.people_born_here) ${CANNOT}`);
    expect(await obs(env, call('get_relations', '#0'))).toBe('Observation: [location.city.country, location.location.people_born_here]');
    expect(await obs(env, call('get_neighbors', '#0', 'location.location.people_born_here'))).toBe('Observation: variable #1, which are instances of people.person');
    expect((await env.step({ type: 'final', answer: '#1' })).reward).toBeCloseTo(setF1(['Ann', 'Bob', 'Cy'], ['Ann', 'Cy']), 10);
  });

  it('a variable derived the same way shares the cache; intersection needs variables of one type', async () => {
    const env = await fresh();
    await env.step(call('get_relations', 'Zed'));
    await env.step(call('get_neighbors', 'Zed', 'location.country.cities')); // #0 cities
    await env.step(call('get_relations', '#0'));
    await env.step(call('get_neighbors', '#0', 'location.location.people_born_here')); // #1 Ann Bob Cy
    await env.step(call('get_relations', 'Painter'));
    await env.step(call('get_neighbors', 'Painter', 'people.profession.people_with_this_profession')); // #2 Ann Cy
    await env.step(call('get_neighbors', 'Zed', 'location.country.cities')); // #3, the same derivation as #0
    expect(await obs(env, call('get_neighbors', '#3', 'location.location.people_born_here'))).toBe('Observation: variable #4, which are instances of people.person');
    const notSameType = 'cannot be executed. The two variables are not of the same type. You may further explore them by call get_relations';
    expect(await obs(env, call('intersection', '#0', '#1'))).toBe(`intersection(#0, #1) ${notSameType}`);
    expect(await obs(env, call('intersection', 'Zed', 'Painter'))).toBe(`intersection(Zed, Painter) ${notSameType}`);
    expect(await obs(env, call('intersection', '#1', '#2'))).toBe('Observation: variable #5, which are instances of people.person');
    expect(await env.step({ type: 'final', answer: '#5' })).toMatchObject({ done: true, reward: 1 });
  });

  it('argmax and argmin need an earlier get_attributes of the variable (api.py:186, 201); ties keep every entity', async () => {
    const env = await fresh();
    await env.step(call('get_relations', 'Painter'));
    await env.step(call('get_neighbors', 'Painter', 'people.profession.people_with_this_profession')); // #0 Ann Cy
    expect(await obs(env, call('argmax', '#0', 'people.person.birth_year'))).toBe(`argmax(#0, people.person.birth_year) ${CANNOT}`);
    expect(await obs(env, call('get_attributes', 'Ann'))).toBe(`get_attributes(Ann) ${CANNOT}`);
    expect(await obs(env, call('get_attributes', '#0'))).toBe('Observation: [people.person.birth_year]');
    expect(await obs(env, call('argmax', '#0', 'people.person.birth_year'))).toBe('Observation: variable #1, which are instances of people.person');
    expect(await obs(env, call('argmin', '#0', 'location.city.population'))).toBe(`argmin(#0, location.city.population) ${CANNOT}`);
    expect(await obs(env, call('argmin', '#0', 'people.person.birth_year'))).toBe('Observation: variable #2, which are instances of people.person');
    const view = await env.view();
    expect((view.variables as { sample: string[] }[])[1].sample).toEqual(['Ann']);
    expect((view.variables as { sample: string[] }[])[2].sample).toEqual(['Cy']);
  });

  it('count makes a number variable that can be the final answer', async () => {
    const env = new KgEnvironment(tinyGraph());
    await env.reset({ ...task, data: { ...task.data, answer: ['2'] } });
    await env.step(call('get_relations', 'Painter'));
    await env.step(call('get_neighbors', 'Painter', 'people.profession.people_with_this_profession'));
    expect(await obs(env, call('count', '#0'))).toBe('Observation: variable #1, which is a number');
    expect(await obs(env, call('count', 'Zed'))).toBe(`count(Zed) ${CANNOT}`);
    expect(await env.step({ type: 'final', answer: '#1' })).toEqual({ observation: 'Final Answer: #1 = [2]', done: true, reward: 1 });
  });

  it('bad calls get the harness\'s texts without ending the episode', async () => {
    const env = await fresh();
    expect(await obs(env, call('get_relations', '#7'))).toBe(`get_relations(#7) ${CANNOT}`);
    expect(await obs(env, call('count', 'Zed', 'x'))).toBe(`count(Zed, x) ${CANNOT}`);
    expect(await obs(env, call('find_entity', 'Zed'))).toBe('Function is not executed!');
    expect(await env.step({ type: 'final', answer: '#4' })).toEqual({ observation: 'Invalid variable id! Need to recheck the action.', done: false, reward: 0 });
  });

  it('looks function names up in a Map: toString, constructor and __proto__ are no functions (issue 13)', async () => {
    const env = await fresh();
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(await obs(env, call(name, 'Zed'))).toBe('Function is not executed!');
    }
    expect(await obs(env, line('Action: toString(Zed)'))).toBe(
      'I may make a syntax error when calling toString (e.g., unmatched parenthesis). I need to fix it and reuse the tool',
    );
  });
});

describe('KgEnvironment action lines (task.py:233-283)', () => {
  it('tries each name( in the line until one runs', async () => {
    const env = await fresh();
    expect(await obs(env, line('Action: foo(get_relations(Zed))'))).toBe('Observation: [location.country.cities]');
    expect(await obs(env, line('Action: get_relations(Zed) and get_relations(Ann)'))).toBe('Observation: [location.country.cities]');
  });

  it('a name not found reuses the last parsed arguments in its message, as ori_arguments does', async () => {
    const env = await fresh();
    expect(await obs(env, line('Action: lookup(Zed)'))).toBe(
      'I may make a syntax error when calling lookup (e.g., unmatched parenthesis). I need to fix it and reuse the tool',
    );
    expect(await obs(env, line('Action: get_relations(Atlantis)'))).toBe(`get_relations(Atlantis) ${CANNOT}`);
    expect(await obs(env, line('Action: lookup(Zed)'))).toBe(`lookup(Atlantis) ${CANNOT}`);
    expect(await obs(env, line('Action: get_relations(#0'))).toBe(`get_relations(Atlantis) ${CANNOT}`);
  });

  it('arguments split at every comma, "variable " is dropped, a module name that is no function cannot be executed', async () => {
    const env = await fresh();
    await env.step(call('get_relations', 'Zed'));
    expect(await obs(env, line('Action: get_neighbors(variable Zed, location.country.cities)'))).toBe('Observation: variable #0, which are instances of location.city');
    expect(await obs(env, line('Action: get_neighbors(Zed,location.country.cities, x)'))).toBe(`get_neighbors(Zed, location.country.cities, x) ${CANNOT}`);
    expect(await obs(env, line('Action: json(Zed)'))).toBe(`json(Zed) ${CANNOT}`);
    expect(await obs(env, line('Action: nothing to call'))).toBe('Function is not executed!');
  });

  it('union runs too (api.py:124), though the prompt does not offer it', async () => {
    const env = await fresh();
    await env.step(call('get_relations', 'Painter'));
    await env.step(call('get_neighbors', 'Painter', 'people.profession.people_with_this_profession'));
    await env.step(call('get_relations', 'Poet'));
    await env.step(call('get_neighbors', 'Poet', 'people.profession.people_with_this_profession'));
    expect(await obs(env, line('Action: union(#0, #1)'))).toBe('Observation: variable #2, which are instances of people.person');
    expect((await env.view()).variables).toContainEqual(expect.objectContaining({ id: '#2', size: 3 }));
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

  it.each(['lenient', 'strict'] as const)('every expert trajectory, parsed by the kg protocol (%s), reaches reward 1 with no failed call', async (mode) => {
    for (const t of envModule.tasks) {
      const results = await replayExpert(envModule, t, mode);
      for (const r of results.slice(0, -1)) expect(r.observation, t.id).toMatch(/^Observation: (\[|variable #\d+, which)/);
      expect(results.at(-1), t.id).toMatchObject({ done: true, reward: 1 });
    }
  });
});
