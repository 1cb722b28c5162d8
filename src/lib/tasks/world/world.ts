/**
 * A fictional world (the Veluna archipelago), generated deterministically from a seed. Both the wiki corpus and
 * the knowledge graph are rendered from this one world, so the two environments agree with each other.
 * Every fact here is invented; the names are built from syllables, not taken from the real world.
 */
import { createRng, type Rng } from '../random';

export type Occupation = 'novelist' | 'poet' | 'painter' | 'composer' | 'architect' | 'physicist' | 'scholar' | 'industrialist';

export interface Country {
  name: string;
  demonym: string;
  capital: string;
  founded: number;
  language: string;
  currency: string;
}

export interface City {
  name: string;
  country: string;
  population: number;
  founded: number;
  rivers: string[];
}

export interface River {
  name: string;
  lengthKm: number;
  /** Cities it flows through, source to mouth. */
  cities: string[];
}

export interface Person {
  name: string;
  pronoun: 'he' | 'she';
  born: number;
  died?: number;
  birthCity: string;
  country: string;
  occupation: Occupation;
  university?: string;
  awards: string[];
}

export type WorkKind = 'novel' | 'poetry collection' | 'painting' | 'symphony' | 'opera' | 'building' | 'treatise';

export interface Work {
  title: string;
  kind: WorkKind;
  creator: string;
  year: number;
  genre: string;
}

export interface University {
  name: string;
  city: string;
  founded: number;
  founder: string;
}

export interface Company {
  name: string;
  city: string;
  founded: number;
  founder: string;
  industry: string;
  employees: number;
}

export interface Award {
  name: string;
  field: Occupation;
  established: number;
}

export interface World {
  countries: Country[];
  cities: City[];
  rivers: River[];
  people: Person[];
  works: Work[];
  universities: University[];
  companies: Company[];
  awards: Award[];
  languages: string[];
  currencies: string[];
  genres: string[];
  industries: string[];
}

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'dr', 'gr', 'kr', 'st', 'th', 'tr', 'sk'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ae', 'ei', 'ou'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'th', 'm', 'nd', 'rk', 'sh'];

const FIRST_HE = ['Alric', 'Bastien', 'Corvin', 'Dorian', 'Emeric', 'Fenwick', 'Galen', 'Hollis', 'Ivor', 'Jorah', 'Kester', 'Lucan', 'Marek', 'Nestor', 'Orrin', 'Perrin', 'Quillon', 'Roderic', 'Soren', 'Tobiah', 'Ulric', 'Varian', 'Wendel', 'Yorick'];
const FIRST_SHE = ['Adela', 'Brisa', 'Celene', 'Dagny', 'Elowen', 'Fiora', 'Gisla', 'Halina', 'Isolde', 'Junia', 'Katrin', 'Liora', 'Mirela', 'Nerys', 'Odilia', 'Perpetua', 'Rosalind', 'Saskia', 'Theda', 'Ursula', 'Vesna', 'Wilhelmina', 'Yseult', 'Zelda'];
const COUNTRY_SUFFIX = ['ia', 'land', 'mark', 'or', 'ene', 'avia'];
const CITY_SUFFIX = ['', 'ford', 'haven', 'mere', 'holm', 'ton', 'vale', 'burg', 'port'];
const SURNAME_SUFFIX = ['', 'son', 'ell', 'ard', 'ov', 'ini', 'ek'];

const ADJECTIVES = ['Silent', 'Crimson', 'Hollow', 'Distant', 'Gilded', 'Broken', 'Northern', 'Quiet', 'Burning', 'Pale', 'Endless', 'Hidden', 'Amber', 'Restless', 'Sunken', 'Iron', 'Velvet', 'Last', 'Wandering', 'Frozen'];
const NOUNS = ['Harbour', 'Lantern', 'Orchard', 'Tide', 'Citadel', 'Meadow', 'Mirror', 'Voyage', 'Bell', 'Garden', 'Comet', 'Bridge', 'Archive', 'Sparrow', 'Tower', 'Island', 'Winter', 'River', 'Crown', 'Shore'];

const GENRES_BY_OCCUPATION: Record<Occupation, { kind: WorkKind; genres: string[] }> = {
  novelist: { kind: 'novel', genres: ['historical novel', 'mystery novel', 'adventure novel', 'satirical novel'] },
  poet: { kind: 'poetry collection', genres: ['lyric poetry', 'epic poetry'] },
  painter: { kind: 'painting', genres: ['landscape painting', 'portrait painting', 'still life'] },
  composer: { kind: 'symphony', genres: ['choral symphony', 'chamber symphony'] },
  architect: { kind: 'building', genres: ['civic building', 'cathedral'] },
  physicist: { kind: 'treatise', genres: ['treatise on optics', 'treatise on mechanics'] },
  scholar: { kind: 'treatise', genres: ['treatise on law', 'treatise on history'] },
  industrialist: { kind: 'treatise', genres: ['treatise on trade'] },
};

const OCCUPATION_COUNTS: [Occupation, number][] = [
  ['novelist', 28],
  ['poet', 16],
  ['painter', 24],
  ['composer', 18],
  ['architect', 14],
  ['physicist', 16],
  ['industrialist', 20],
];

const INDUSTRIES = ['shipping', 'textiles', 'glassworks', 'printing', 'railways', 'brewing'];

export const WORLD_SEED = 20240318;

class Names {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  claim(name: string): boolean {
    const key = name.toLowerCase();
    if (this.used.has(key)) return false;
    this.used.add(key);
    return true;
  }

  /** A new pronounceable stem of 2 (sometimes 3) syllables, capitalised. */
  stem(): string {
    const r = this.rng;
    const syllables = r.next() < 0.25 ? 3 : 2;
    let s = '';
    for (let i = 0; i < syllables; i++) s += r.pick(ONSETS) + r.pick(VOWELS) + (i === syllables - 1 ? r.pick(CODAS) : '');
    return s[0].toUpperCase() + s.slice(1);
  }

  unique(make: () => string): string {
    for (;;) {
      const name = make();
      if (this.claim(name)) return name;
    }
  }
}

export function generateWorld(seed = WORLD_SEED): World {
  const rng = createRng(seed);
  const names = new Names(rng);

  const genres = [...new Set(Object.values(GENRES_BY_OCCUPATION).flatMap((g) => g.genres))];
  for (const fixed of [...genres, ...INDUSTRIES]) names.claim(fixed);

  const countries: Country[] = [];
  const cities: City[] = [];
  const languages: string[] = [];
  const currencies: string[] = [];
  for (let i = 0; i < 8; i++) {
    const stem = names.unique(() => names.stem());
    const name = names.unique(() => stem + rng.pick(COUNTRY_SUFFIX));
    const demonym = /[aeiou]$/.test(stem) ? `${stem}n` : `${stem}ian`;
    const language = names.unique(() => stem + 'ish');
    const currency = names.unique(() => `${names.stem().toLowerCase()}a`);
    languages.push(language);
    currencies.push(currency);
    const founded = rng.int(900, 1600);
    const own: City[] = [];
    for (let c = 0; c < 5; c++) {
      const cityName = names.unique(() => names.stem() + rng.pick(CITY_SUFFIX));
      own.push({ name: cityName, country: name, population: rng.int(8, 950) * 1000 + rng.int(0, 999), founded: rng.int(600, 1700), rivers: [] });
    }
    const capital = own.reduce((a, b) => (b.population > a.population ? b : a)).name;
    countries.push({ name, demonym, capital, founded, language, currency });
    cities.push(...own);
  }

  const rivers: River[] = [];
  for (let i = 0; i < 10; i++) {
    const name = names.unique(() => `${names.stem()} River`);
    const through = rng.shuffle(cities).slice(0, rng.int(2, 4));
    for (const c of through) c.rivers.push(name);
    rivers.push({ name, lengthKm: rng.int(80, 1400), cities: through.map((c) => c.name) });
  }

  const personName = (pronoun: 'he' | 'she') =>
    names.unique(() => `${rng.pick(pronoun === 'he' ? FIRST_HE : FIRST_SHE)} ${names.stem()}${rng.pick(SURNAME_SUFFIX)}`);
  const countryOf = (city: string) => cities.find((c) => c.name === city)!.country;

  const people: Person[] = [];
  const universities: University[] = [];
  for (let i = 0; i < 12; i++) {
    const pronoun = rng.next() < 0.5 ? 'he' : 'she';
    const born = rng.int(1420, 1680);
    const birthCity = rng.pick(cities).name;
    const founder: Person = { name: personName(pronoun), pronoun, born, died: born + rng.int(45, 85), birthCity, country: countryOf(birthCity), occupation: 'scholar', awards: [] };
    people.push(founder);
    const city = rng.next() < 0.6 ? birthCity : rng.pick(cities).name;
    const stem = names.unique(() => names.stem());
    const name = names.unique(() => (rng.next() < 0.5 ? `University of ${stem}` : `${stem} Institute`));
    universities.push({ name, city, founded: born + rng.int(30, 44), founder: founder.name });
  }

  const awards: Award[] = [];
  for (const [field] of OCCUPATION_COUNTS) {
    if (field === 'industrialist') continue;
    const name = names.unique(() => `${names.stem()} Prize`);
    awards.push({ name, field, established: rng.int(1800, 1900) });
  }

  for (const [occupation, count] of OCCUPATION_COUNTS) {
    for (let i = 0; i < count; i++) {
      const pronoun = rng.next() < 0.5 ? 'he' : 'she';
      const born = rng.int(1760, 1965);
      const died = born < 1935 ? born + rng.int(38, 92) : undefined;
      const birthCity = rng.pick(cities).name;
      const country = countryOf(birthCity);
      const local = universities.filter((u) => countryOf(u.city) === country);
      const university = rng.next() < 0.85 ? rng.pick(local.length && rng.next() < 0.7 ? local : universities).name : undefined;
      const award = awards.find((a) => a.field === occupation);
      const lastYear = Math.min(died ?? 2020, 2020);
      const awardsWon = award && lastYear - 30 > award.established && rng.next() < 0.35 ? [award.name] : [];
      people.push({ name: personName(pronoun), pronoun, born, died, birthCity, country, occupation, university, awards: awardsWon });
    }
  }

  const works: Work[] = [];
  for (const person of people) {
    if (person.occupation === 'industrialist') continue;
    const { kind, genres: options } = GENRES_BY_OCCUPATION[person.occupation];
    const howMany = person.occupation === 'scholar' ? 1 : rng.int(1, 2);
    const last = Math.min(person.died ?? 2020, 2020);
    for (let w = 0; w < howMany; w++) {
      const title = names.unique(() => {
        const [first, second] = rng.shuffle(NOUNS);
        return rng.next() < 0.5 ? `The ${rng.pick(ADJECTIVES)} ${first}` : `${first} of the ${rng.pick(ADJECTIVES)} ${second}`;
      });
      works.push({ title, kind, creator: person.name, year: rng.int(person.born + 22, Math.max(person.born + 23, last - 1)), genre: rng.pick(options) });
    }
  }

  const companies: Company[] = [];
  for (const founder of people.filter((p) => p.occupation === 'industrialist')) {
    const city = rng.next() < 0.7 ? founder.birthCity : rng.pick(cities).name;
    const industry = rng.pick(INDUSTRIES);
    const suffix: Record<string, string> = { shipping: 'Shipping Company', textiles: 'Mills', glassworks: 'Glassworks', printing: 'Press', railways: 'Railway', brewing: 'Brewery' };
    const name = names.unique(() => `${names.stem()} ${suffix[industry]}`);
    companies.push({ name, city, founded: founder.born + rng.int(24, 38), founder: founder.name, industry, employees: rng.int(40, 12000) });
  }

  return { countries, cities, rivers, people, works, universities, companies, awards, languages, currencies, genres, industries: INDUSTRIES };
}

let cached: World | undefined;
/** The world every environment uses (generated once per realm). */
export function world(): World {
  return (cached ??= generateWorld());
}
