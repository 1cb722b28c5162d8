/**
 * Two-hop questions over the wiki corpus in HotpotQA's two styles: bridge (find the entity that links the hops)
 * and comparison. Each comes with the expert's turns in the ReAct wording the model was trained on.
 */
import type { TaskSpec } from '../types';
import { createRng } from '../random';
import { world, type World } from '../world/world';

export interface WikiQuestion {
  question: string;
  answer: string;
  kind: 'bridge' | 'comparison';
  /** The articles an expert opens, in order. */
  path: string[];
}

export type WikiTask = TaskSpec & { env: 'wiki'; data: WikiQuestion };

interface Draft extends WikiQuestion {
  thoughts: string[];
}

const PER_TEMPLATE = 4;

function drafts(w: World): Draft[][] {
  const rng = createRng(77);
  const country = (name: string) => w.countries.find((c) => c.name === name)!;
  const city = (name: string) => w.cities.find((c) => c.name === name)!;
  const take = <T>(items: T[], make: (x: T) => Draft): Draft[] => rng.shuffle(items).slice(0, PER_TEMPLATE).map(make);

  const studied = w.people.filter((p) => p.university);
  const riverBorn = w.people.filter((p) => city(p.birthCity).rivers.length === 1);
  const paired = rng.shuffle(w.people).slice(0, 16);

  return [
    take(w.works, (x) => {
      const creator = w.people.find((p) => p.name === x.creator)!;
      return {
        question: `In which country was the creator of ${x.title} born?`,
        answer: creator.country,
        kind: 'bridge',
        path: [x.title, creator.name],
        thoughts: [`I need to search ${x.title}, find its creator, then find where the creator was born.`, `${x.title} is a ${x.kind} by ${creator.name}. I need to search ${creator.name} next.`, `${creator.name} was born in ${creator.birthCity}, ${creator.country}. So the answer is ${creator.country}.`],
      };
    }),
    take(studied, (p) => {
      const uni = w.universities.find((u) => u.name === p.university)!;
      return {
        question: `Who founded the university where ${p.name} studied?`,
        answer: uni.founder,
        kind: 'bridge',
        path: [p.name, uni.name],
        thoughts: [`I need to search ${p.name}, find the university ${p.pronoun} attended, then find who founded it.`, `${p.name} studied at ${uni.name}. I need to search ${uni.name} next.`, `${uni.name} was founded by ${uni.founder}. So the answer is ${uni.founder}.`],
      };
    }),
    take(w.companies, (c) => {
      const home = country(city(c.city).country);
      return {
        question: `What is the capital of the country where ${c.name} is headquartered?`,
        answer: home.capital,
        kind: 'bridge',
        path: [c.name, home.name],
        thoughts: [`I need to search ${c.name}, find the country of its headquarters, then find that country's capital.`, `${c.name} is headquartered in ${c.city}, ${home.name}. I need to search ${home.name} next.`, `The capital of ${home.name} is ${home.capital}. So the answer is ${home.capital}.`],
      };
    }),
    take(riverBorn, (p) => {
      const river = city(p.birthCity).rivers[0];
      return {
        question: `Which river flows through the city where ${p.name} was born?`,
        answer: river,
        kind: 'bridge',
        path: [p.name, p.birthCity],
        thoughts: [`I need to search ${p.name}, find where ${p.pronoun} was born, then find the river of that city.`, `${p.name} was born in ${p.birthCity}. I need to search ${p.birthCity} next.`, `The ${river} flows through ${p.birthCity}. So the answer is the ${river}.`],
      };
    }),
    take(w.people, (p) => {
      const home = country(p.country);
      return {
        question: `What is the currency of the country where ${p.name} was born?`,
        answer: home.currency,
        kind: 'bridge',
        path: [p.name, home.name],
        thoughts: [`I need to search ${p.name}, find the country where ${p.pronoun} was born, then find its currency.`, `${p.name} was born in ${p.birthCity}, ${home.name}. I need to search ${home.name} next.`, `The currency of ${home.name} is the ${home.currency}. So the answer is the ${home.currency}.`],
      };
    }),
    take(
      w.universities.flatMap((a, i) => w.universities.slice(i + 1).filter((b) => b.founded !== a.founded).map((b) => [a, b] as const)),
      ([a, b]) => {
        const first = a.founded < b.founded ? a : b;
        return {
          question: `Which was founded first, ${a.name} or ${b.name}?`,
          answer: first.name,
          kind: 'comparison',
          path: [a.name, b.name],
          thoughts: [`I need to search ${a.name} and ${b.name} and compare their founding years.`, `${a.name} was founded in ${a.founded}. I need to search ${b.name} next.`, `${b.name} was founded in ${b.founded}, and ${a.name} in ${a.founded}. So ${first.name} was founded first.`],
        };
      },
    ),
    Array.from({ length: PER_TEMPLATE }, (_, i) => {
      const a = paired[2 * i];
      // Alternate yes and no answers.
      const b = i % 2 === 0 ? paired.slice(8).find((p) => p.country === a.country && p !== a) ?? w.people.find((p) => p.country === a.country && p !== a)! : paired.slice(8).find((p) => p.country !== a.country)!;
      const same = a.country === b.country;
      return {
        question: `Were ${a.name} and ${b.name} born in the same country?`,
        answer: same ? 'yes' : 'no',
        kind: 'comparison' as const,
        path: [a.name, b.name],
        thoughts: [`I need to search ${a.name} and ${b.name} and find the countries where they were born.`, `${a.name} was born in ${a.country}. I need to search ${b.name} next.`, `${b.name} was born in ${b.country}, and ${a.name} in ${a.country}. So the answer is ${same ? 'yes' : 'no'}.`],
      };
    }),
  ];
}

/** Whole turns as the HotpotQA harness numbers them (`Thought n:` is written by the loop, the rest by the model). */
function expertTurns(d: Draft): string[] {
  return [
    `Thought 1: ${d.thoughts[0]}\nAction 1: Search[${d.path[0]}]`,
    `Thought 2: ${d.thoughts[1]}\nAction 2: Search[${d.path[1]}]`,
    `Thought 3: ${d.thoughts[2]}\nAction 3: Finish[${d.answer}]`,
  ];
}

function build(): { tasks: WikiTask[]; experts: Record<string, string[]> } {
  const tasks: WikiTask[] = [];
  const experts: Record<string, string[]> = {};
  drafts(world()).forEach((group, g) =>
    group.forEach((d, i) => {
      const id = `wiki-${g + 1}-${i + 1}`;
      const { thoughts: _thoughts, ...data } = d;
      tasks.push({ id, env: 'wiki', title: d.question, data });
      experts[id] = expertTurns(d);
    }),
  );
  return { tasks, experts };
}

export const { tasks: wikiTasks, experts: wikiExperts } = build();
