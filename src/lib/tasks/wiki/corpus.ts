/**
 * The offline wiki: one short article per country, city, river, person, work, university and company of the
 * fictional world, with BM25 search. Used by the Wiki QA environment and by the Tools environment's wiki search.
 */
import { Bm25Index } from '../search/bm25';
import { world, type Person, type World } from '../world/world';

export interface WikiArticle {
  title: string;
  /** Paragraphs separated by "\n"; sentences end with ". " as on Wikipedia pages the HotpotQA tools read. */
  text: string;
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
/** 1234567 -> "1,234,567" (not toLocaleString, whose output depends on the runtime's locale data). */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const list = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
const withArticle = (name: string) => (/^University of /.test(name) || / Institute$/.test(name) || / River$/.test(name) ? `the ${name}` : name);

function lifespan(p: Person): string {
  return p.died ? `(${p.born}–${p.died})` : `(born ${p.born})`;
}

export function renderArticles(w: World): WikiArticle[] {
  const cityOf = new Map(w.cities.map((c) => [c.name, c]));
  const countryOf = new Map(w.countries.map((c) => [c.name, c]));
  const out: WikiArticle[] = [];

  for (const c of w.countries) {
    const others = w.cities.filter((x) => x.country === c.name && x.name !== c.capital).map((x) => x.name);
    out.push({
      title: c.name,
      text:
        `${c.name} is a country in the Veluna archipelago. Its capital and largest city is ${c.capital}. ` +
        `${c.name} was founded as a kingdom in ${c.founded}. The official language of ${c.name} is ${c.language}. ` +
        `The currency of ${c.name} is the ${c.currency}.\nOther cities of ${c.name} include ${list(others)}.`,
    });
  }

  for (const c of w.cities) {
    const country = countryOf.get(c.country)!;
    const unis = w.universities.filter((u) => u.city === c.name).map((u) => withArticle(u.name));
    const sentences = [
      country.capital === c.name ? `${c.name} is the capital of ${c.country}.` : `${c.name} is a city in ${c.country}.`,
      `It was founded in ${c.founded}.`,
      `${c.name} has a population of ${thousands(c.population)}.`,
      c.rivers.length ? `${c.rivers.length > 1 ? list(c.rivers.map(withArticle)) + ' flow' : cap(withArticle(c.rivers[0])) + ' flows'} through the city.` : `${c.name} lies on the coast of the Veluna Sea.`,
    ];
    if (unis.length) sentences.push(`${c.name} is home to ${list(unis)}.`);
    out.push({ title: c.name, text: sentences.join(' ') });
  }

  for (const r of w.rivers) {
    out.push({
      title: r.name,
      text: `The ${r.name} is a river in the Veluna archipelago. It is ${r.lengthKm} kilometres long. The river flows through ${list(r.cities)}. Its mouth is at ${r.cities[r.cities.length - 1]}.`,
    });
  }

  for (const p of w.people) {
    const country = countryOf.get(p.country)!;
    const Pron = cap(p.pronoun);
    const sentences = [`${p.name} ${lifespan(p)} ${p.died ? 'was' : 'is'} a ${country.demonym} ${p.occupation}.`, `${Pron} was born in ${p.birthCity}, ${p.country}.`];
    if (p.university) sentences.push(`${Pron} studied at ${withArticle(p.university)}.`);
    const works = w.works.filter((x) => x.creator === p.name);
    if (works.length) sentences.push(`${Pron} is best known for ${list(works.map((x) => `the ${x.kind} ${x.title} (${x.year})`))}.`);
    for (const u of w.universities.filter((u) => u.founder === p.name)) sentences.push(`${Pron} founded ${withArticle(u.name)} in ${u.city}.`);
    for (const c of w.companies.filter((c) => c.founder === p.name)) sentences.push(`${Pron} was the founder of ${c.name}.`);
    for (const a of p.awards) sentences.push(`${Pron} received the ${a}.`);
    out.push({ title: p.name, text: sentences.join(' ') });
  }

  for (const x of w.works) {
    out.push({
      title: x.title,
      text: `${x.title} is a ${x.kind} by ${x.creator}. It was completed in ${x.year}. It belongs to the genre of ${x.genre}.`,
    });
  }

  for (const u of w.universities) {
    const alumni = w.people.filter((p) => p.university === u.name).slice(0, 3).map((p) => p.name);
    out.push({
      title: u.name,
      text:
        `${cap(withArticle(u.name))} is a university in ${u.city}, ${cityOf.get(u.city)!.country}. It was founded in ${u.founded} by the scholar ${u.founder}.` +
        (alumni.length ? ` Its alumni include ${list(alumni)}.` : ''),
    });
  }

  for (const c of w.companies) {
    out.push({
      title: c.name,
      text: `${c.name} is a ${c.industry} company headquartered in ${c.city}, ${cityOf.get(c.city)!.country}. It was founded in ${c.founded} by ${c.founder}. The company employs about ${thousands(c.employees)} people.`,
    });
  }
  return out;
}

/** Splits a page into sentences the way the HotpotQA wiki tools do (paragraphs, then ". "). */
export function sentences(article: WikiArticle): string[] {
  return article.text
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean)
    .flatMap((p) => p.split('. '))
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.endsWith('.') ? s : `${s}.`));
}

/** The first `n` sentences, what `search[entity]` shows of a page. */
export function summary(article: WikiArticle, n = 5): string {
  return sentences(article).slice(0, n).join(' ');
}

/** Case, punctuation and a leading "the" do not matter when matching a title. */
const normaliseTitle = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');

export const articles: readonly WikiArticle[] = renderArticles(world());

let index: Bm25Index | undefined;
const byTitle = new Map(articles.map((a) => [normaliseTitle(a.title), a]));

/** The article whose title matches `title` (ignoring case and punctuation). */
export function findArticle(title: string): WikiArticle | undefined {
  return byTitle.get(normaliseTitle(title));
}

/** BM25 over title and text, best first. */
export function searchArticles(query: string, limit = 5): WikiArticle[] {
  index ??= new Bm25Index(articles.map((a) => `${a.title} ${a.title} ${a.text}`));
  return index.search(query, limit).map((h) => articles[h.doc]);
}
