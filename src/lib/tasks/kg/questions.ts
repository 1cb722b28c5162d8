/**
 * Multi-hop questions over the knowledge graph, as AgentBench gives them (a question plus the entities it starts
 * from), with gold answer sets computed from the world itself and the expert's turns in AgentBench's format.
 */
import type { TaskSpec } from '../types';
import { createRng } from '../random';
import { world, type Occupation, type World } from '../world/world';
import { ATTRIBUTES, professionName, RELATIONS } from './graph';

export interface KgQuestion {
  question: string;
  entities: string[];
  /** Gold answer set: entity names, or a single number for counting questions. */
  answer: string[];
}

export type KgTask = TaskSpec & { env: 'kg'; data: KgQuestion };

interface Draft extends KgQuestion {
  turns: string[];
}

const PER_TEMPLATE = 3;
const PLURAL: Record<Occupation, string> = {
  novelist: 'novelists',
  poet: 'poets',
  painter: 'painters',
  composer: 'composers',
  architect: 'architects',
  physicist: 'physicists',
  scholar: 'scholars',
  industrialist: 'industrialists',
};

/** Writes the expert's turns, numbering the variables as the environment will. */
class Plan {
  readonly turns: string[] = [];
  private next = 0;

  relations(of: string, thought: string): void {
    this.turns.push(`Thought: ${thought}\nAction: get_relations(${of})`);
  }
  attributes(of: string, thought: string): void {
    this.turns.push(`Thought: ${thought}\nAction: get_attributes(${of})`);
  }
  /** A call that creates a variable; returns its id. */
  make(call: string, thought: string): string {
    this.turns.push(`Thought: ${thought}\nAction: ${call}`);
    return `#${this.next++}`;
  }
  final(variable: string, thought: string): string[] {
    this.turns.push(`Thought: ${thought}\nFinal Answer: ${variable}`);
    return this.turns;
  }
}

const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();

function drafts(w: World): Draft[][] {
  const rng = createRng(4242);
  const pick = <T>(items: T[]) => rng.shuffle(items).slice(0, PER_TEMPLATE);
  const city = (name: string) => w.cities.find((c) => c.name === name)!;
  const person = (name: string) => w.people.find((p) => p.name === name)!;
  const R = RELATIONS;
  const A = ATTRIBUTES;
  const occupations = [...new Set(w.people.map((p) => p.occupation))].filter((o) => o !== 'scholar');

  const bornIn = pick(
    w.cities.flatMap((c) => occupations.map((o) => ({ c, o, answer: w.people.filter((p) => p.birthCity === c.name && p.occupation === o).map((p) => p.name) }))).filter((x) => x.answer.length > 0),
  ).map(({ c, o, answer }) => {
    const prof = professionName(o);
    const plan = new Plan();
    plan.relations(c.name, `I need to find the people born in ${c.name}. I will query the KB for the relations of ${c.name}.`);
    const born = plan.make(`get_neighbors(${c.name}, ${R.birthplace.inverse})`, `${R.birthplace.inverse} gives the people born in ${c.name}.`);
    plan.relations(prof, `I also need the people whose profession is ${prof}. I will query the relations of ${prof}.`);
    const prof_ = plan.make(`get_neighbors(${prof}, ${R.profession.inverse})`, `${R.profession.inverse} gives the people with this profession.`);
    const both = plan.make(`intersection(${born}, ${prof_})`, `The ${PLURAL[o]} born in ${c.name} are the intersection of ${born} and ${prof_}.`);
    return { question: `which ${PLURAL[o]} were born in ${c.name}?`, entities: [c.name, prof], answer: sortedUnique(answer), turns: plan.final(both, `${both} is the final answer to the question.`) };
  });

  const largestCity = pick(w.people.filter((p) => p.occupation !== 'scholar')).map((p) => {
    const cities = w.cities.filter((c) => c.country === p.country);
    const top = Math.max(...cities.map((c) => c.population));
    const plan = new Plan();
    plan.relations(p.name, `I need to find the country where ${p.name} was born. I will query the relations of ${p.name}.`);
    const country = plan.make(`get_neighbors(${p.name}, ${R.nationality.name})`, `${R.nationality.name} gives the country of ${p.name}.`);
    plan.relations(country, `Now I need the cities of that country. I will query the relations of ${country}.`);
    const cities_ = plan.make(`get_neighbors(${country}, ${R.cityCountry.inverse})`, `${R.cityCountry.inverse} gives the cities of the country.`);
    plan.attributes(cities_, `To find the most populous city I need the numerical attributes of ${cities_}.`);
    const best = plan.make(`argmax(${cities_}, ${A.population})`, `The most populous city is the argmax of ${A.population}.`);
    return {
      question: `what is the most populous city of the country where ${p.name} was born?`,
      entities: [p.name],
      answer: cities.filter((c) => c.population === top).map((c) => c.name),
      turns: plan.final(best, `${best} is the final answer to the question.`),
    };
  });

  const genreCount = pick(
    w.countries.flatMap((c) => w.genres.map((g) => ({ c, g, n: w.works.filter((x) => x.genre === g && person(x.creator).country === c.name).length }))).filter((x) => x.n > 1),
  ).map(({ c, g, n }) => {
    const plan = new Plan();
    plan.relations(c.name, `I need the people of ${c.name}. I will query the relations of ${c.name}.`);
    const people = plan.make(`get_neighbors(${c.name}, ${R.nationality.inverse})`, `${R.nationality.inverse} gives the people of ${c.name}.`);
    plan.relations(people, `Now I need the works these people created. I will query the relations of ${people}.`);
    const works = plan.make(`get_neighbors(${people}, ${R.creator.inverse})`, `${R.creator.inverse} gives the works they created.`);
    plan.relations(g, `I also need the works of the genre ${g}. I will query the relations of ${g}.`);
    const ofGenre = plan.make(`get_neighbors(${g}, ${R.genre.inverse})`, `${R.genre.inverse} gives the works of this genre.`);
    const both = plan.make(`intersection(${works}, ${ofGenre})`, `The ${g} works by people of ${c.name} are the intersection of ${works} and ${ofGenre}.`);
    const count = plan.make(`count(${both})`, `Now I count the entities of ${both}.`);
    return { question: `how many works of ${g} were created by people from ${c.name}?`, entities: [c.name, g], answer: [String(n)], turns: plan.final(count, `${count} is the final answer to the question.`) };
  });

  const earliestAlumnus = pick(
    w.universities.flatMap((u) => occupations.map((o) => ({ u, o, alumni: w.people.filter((p) => p.university === u.name && p.occupation === o) }))).filter((x) => x.alumni.length > 1),
  ).map(({ u, o, alumni }) => {
    const prof = professionName(o);
    const first = Math.min(...alumni.map((p) => p.born));
    const plan = new Plan();
    plan.relations(u.name, `I need the alumni of ${u.name}. I will query the relations of ${u.name}.`);
    const alumni_ = plan.make(`get_neighbors(${u.name}, ${R.education.inverse})`, `${R.education.inverse} gives the alumni.`);
    plan.relations(prof, `I also need the people whose profession is ${prof}. I will query the relations of ${prof}.`);
    const prof_ = plan.make(`get_neighbors(${prof}, ${R.profession.inverse})`, `${R.profession.inverse} gives the people with this profession.`);
    const both = plan.make(`intersection(${alumni_}, ${prof_})`, `The ${PLURAL[o]} among the alumni are the intersection of ${alumni_} and ${prof_}.`);
    plan.attributes(both, `To find who was born earliest I need the numerical attributes of ${both}.`);
    const earliest = plan.make(`argmin(${both}, ${A.birthYear})`, `The earliest born is the argmin of ${A.birthYear}.`);
    return {
      question: `which ${o} who studied at ${u.name} was born earliest?`,
      entities: [u.name, prof],
      answer: alumni.filter((p) => p.born === first).map((p) => p.name),
      turns: plan.final(earliest, `${earliest} is the final answer to the question.`),
    };
  });

  const riverFounders = pick(
    w.rivers.map((r) => ({ r, founders: w.companies.filter((x) => r.cities.includes(x.city)).map((x) => x.founder) })).filter((x) => x.founders.length > 0),
  ).map(({ r, founders }) => {
    const plan = new Plan();
    plan.relations(r.name, `I need the cities on the ${r.name}. I will query the relations of ${r.name}.`);
    const cities = plan.make(`get_neighbors(${r.name}, ${R.riverCities.name})`, `${R.riverCities.name} gives the cities the river flows through.`);
    plan.relations(cities, `Now I need the companies headquartered in these cities. I will query the relations of ${cities}.`);
    const companies = plan.make(`get_neighbors(${cities}, ${R.headquarters.inverse})`, `${R.headquarters.inverse} gives the companies headquartered there.`);
    plan.relations(companies, `Now I need the founders of these companies. I will query the relations of ${companies}.`);
    const founders_ = plan.make(`get_neighbors(${companies}, ${R.companyFounder.name})`, `${R.companyFounder.name} gives the founders.`);
    return { question: `who founded the companies headquartered in cities on the ${r.name}?`, entities: [r.name], answer: sortedUnique(founders), turns: plan.final(founders_, `${founders_} is the final answer to the question.`) };
  });

  const creatorRivers = pick(w.works.filter((x) => city(person(x.creator).birthCity).rivers.length > 0)).map((x) => {
    const plan = new Plan();
    plan.relations(x.title, `I need the creator of ${x.title}. I will query the relations of ${x.title}.`);
    const creator = plan.make(`get_neighbors(${x.title}, ${R.creator.name})`, `${R.creator.name} gives the creator.`);
    plan.relations(creator, `Now I need the birthplace of the creator. I will query the relations of ${creator}.`);
    const place = plan.make(`get_neighbors(${creator}, ${R.birthplace.name})`, `${R.birthplace.name} gives the birthplace.`);
    plan.relations(place, `Now I need the rivers of that city. I will query the relations of ${place}.`);
    const rivers = plan.make(`get_neighbors(${place}, ${R.riverCities.inverse})`, `${R.riverCities.inverse} gives the rivers flowing through the city.`);
    return {
      question: `which rivers flow through the birthplace of the creator of ${x.title}?`,
      entities: [x.title],
      answer: sortedUnique(city(person(x.creator).birthCity).rivers),
      turns: plan.final(rivers, `${rivers} is the final answer to the question.`),
    };
  });

  const awardCount = pick(
    w.awards.flatMap((a) => w.countries.map((c) => ({ a, c, n: w.people.filter((p) => p.awards.includes(a.name) && p.country === c.name).length }))).filter((x) => x.n > 0),
  ).map(({ a, c, n }) => {
    const plan = new Plan();
    plan.relations(a.name, `I need the winners of the ${a.name}. I will query the relations of ${a.name}.`);
    const winners = plan.make(`get_neighbors(${a.name}, ${R.award.inverse})`, `${R.award.inverse} gives the winners.`);
    plan.relations(c.name, `I also need the people of ${c.name}. I will query the relations of ${c.name}.`);
    const people = plan.make(`get_neighbors(${c.name}, ${R.nationality.inverse})`, `${R.nationality.inverse} gives the people of ${c.name}.`);
    const both = plan.make(`intersection(${winners}, ${people})`, `The winners from ${c.name} are the intersection of ${winners} and ${people}.`);
    const count = plan.make(`count(${both})`, `Now I count the entities of ${both}.`);
    return { question: `how many winners of the ${a.name} were born in ${c.name}?`, entities: [a.name, c.name], answer: [String(n)], turns: plan.final(count, `${count} is the final answer to the question.`) };
  });

  return [bornIn, largestCity, genreCount, earliestAlumnus, riverFounders, creatorRivers, awardCount];
}

function build(): { tasks: KgTask[]; experts: Record<string, string[]> } {
  const tasks: KgTask[] = [];
  const experts: Record<string, string[]> = {};
  drafts(world()).forEach((group, g) =>
    group.forEach(({ turns, ...data }, i) => {
      const id = `kg-${g + 1}-${i + 1}`;
      tasks.push({ id, env: 'kg', title: data.question[0].toUpperCase() + data.question.slice(1), data });
      experts[id] = turns;
    }),
  );
  return { tasks, experts };
}

export const { tasks: kgTasks, experts: kgExperts } = build();
