import { describe, expect, it } from 'vitest';
import { articles, findArticle, searchArticles, sentences, summary } from '../../src/lib/tasks/wiki/corpus';
import { generateWorld, world } from '../../src/lib/tasks/world/world';

describe('the fictional world', () => {
  const w = world();

  it('is the same on every generation', () => {
    expect(generateWorld()).toEqual(w);
  });

  it('has unique names across all entities', () => {
    const all = [
      ...w.countries.map((x) => x.name),
      ...w.cities.map((x) => x.name),
      ...w.rivers.map((x) => x.name),
      ...w.people.map((x) => x.name),
      ...w.works.map((x) => x.title),
      ...w.universities.map((x) => x.name),
      ...w.companies.map((x) => x.name),
      ...w.awards.map((x) => x.name),
      ...w.languages,
      ...w.currencies,
      ...w.genres,
    ];
    expect(new Set(all.map((n) => n.toLowerCase())).size).toBe(all.length);
  });

  it('is internally consistent', () => {
    const cities = new Map(w.cities.map((c) => [c.name, c]));
    for (const c of w.countries) expect(cities.get(c.capital)?.country).toBe(c.name);
    for (const p of w.people) {
      expect(cities.get(p.birthCity)?.country).toBe(p.country);
      if (p.died) expect(p.died).toBeGreaterThan(p.born);
      const uni = w.universities.find((u) => u.name === p.university);
      if (p.university) expect(uni!.founded).toBeLessThan(p.born + 18);
    }
    const people = new Map(w.people.map((p) => [p.name, p]));
    for (const x of w.works) {
      const creator = people.get(x.creator)!;
      expect(x.year).toBeGreaterThan(creator.born + 20);
      if (creator.died) expect(x.year).toBeLessThanOrEqual(creator.died);
    }
    for (const u of w.universities) expect(u.founded).toBeGreaterThan(people.get(u.founder)!.born);
    for (const c of w.companies) expect(c.founded).toBeGreaterThan(people.get(c.founder)!.born);
    for (const r of w.rivers) for (const c of r.cities) expect(cities.get(c)!.rivers).toContain(r.name);
  });
});

describe('wiki corpus', () => {
  it('has at least 200 articles with unique titles', () => {
    expect(articles.length).toBeGreaterThanOrEqual(200);
    expect(new Set(articles.map((a) => a.title)).size).toBe(articles.length);
  });

  it('splits sentences on ". " and keeps the final period', () => {
    const a = { title: 'T', text: 'One is here. Two (1800–1900) there.\nThree.' };
    expect(sentences(a)).toEqual(['One is here.', 'Two (1800–1900) there.', 'Three.']);
    expect(summary(a, 2)).toBe('One is here. Two (1800–1900) there.');
  });

  it('finds an article by title ignoring case and punctuation', () => {
    const person = world().people[20];
    expect(findArticle(person.name.toUpperCase())?.title).toBe(person.name);
    expect(findArticle(`  ${person.name}!`)?.title).toBe(person.name);
    expect(findArticle('Nowhere Atlantis')).toBeUndefined();
    const uni = world().universities.find((u) => u.name.startsWith('University of'))!;
    expect(findArticle(`the ${uni.name}`)?.title).toBe(uni.name);
    const titled = world().works.find((x) => x.title.startsWith('The '))!;
    expect(findArticle(titled.title.slice(4))?.title).toBe(titled.title);
  });

  it('writes numbers with thousands separators', () => {
    const c = world().cities.find((x) => x.population >= 100000)!;
    const digits = String(c.population);
    expect(findArticle(c.name)!.text).toContain(`population of ${digits.slice(0, -3)},${digits.slice(-3)}.`);
  });

  it('states each person\'s birthplace and country in the summary', () => {
    for (const p of world().people) {
      expect(summary(findArticle(p.name)!)).toContain(`born in ${p.birthCity}, ${p.country}.`);
    }
  });

  it('ranks the article about a searched entity first', () => {
    const w = world();
    for (const name of [w.companies[3].name, w.works[10].title, w.people[70].name]) {
      expect(searchArticles(name, 5)[0].title).toBe(name);
    }
    expect(searchArticles('qwertyuiop')).toEqual([]);
  });
});
