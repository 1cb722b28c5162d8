/**
 * The knowledge graph, in Freebase's style (typed entities, dotted relation names, an inverse for each relation,
 * numeric attributes), built from the fictional world so it agrees with the wiki.
 */
import { world, type World } from '../world/world';

interface RelationSpec {
  name: string;
  domain: string;
  range: string;
  inverse: string;
}

const R = (name: string, domain: string, range: string, inverse: string): RelationSpec => ({ name, domain, range, inverse });

export const RELATIONS = {
  birthplace: R('people.person.place_of_birth', 'people.person', 'location.city', 'location.location.people_born_here'),
  nationality: R('people.person.nationality', 'people.person', 'location.country', 'location.country.nationals'),
  profession: R('people.person.profession', 'people.person', 'people.profession', 'people.profession.people_with_this_profession'),
  education: R('people.person.education', 'people.person', 'education.university', 'education.university.alumni'),
  award: R('award.award_winner.awards_won', 'people.person', 'award.award', 'award.award.winners'),
  creator: R('creative.work.creator', 'creative.work', 'people.person', 'creative.creator.works'),
  genre: R('creative.work.genre', 'creative.work', 'creative.genre', 'creative.genre.works'),
  cityCountry: R('location.city.country', 'location.city', 'location.country', 'location.country.cities'),
  capital: R('location.country.capital', 'location.country', 'location.city', 'location.city.capital_of'),
  language: R('location.country.official_language', 'location.country', 'language.human_language', 'language.human_language.countries_spoken_in'),
  currency: R('location.country.currency', 'location.country', 'finance.currency', 'finance.currency.countries_used'),
  riverCities: R('geography.river.cities', 'geography.river', 'location.city', 'location.city.rivers'),
  universityCity: R('education.university.city', 'education.university', 'location.city', 'location.city.universities'),
  universityFounder: R('education.university.founder', 'education.university', 'people.person', 'people.person.universities_founded'),
  headquarters: R('business.company.headquarters', 'business.company', 'location.city', 'location.city.companies_headquartered'),
  companyFounder: R('business.company.founder', 'business.company', 'people.person', 'people.person.companies_founded'),
  industry: R('business.company.industry', 'business.company', 'business.industry', 'business.industry.companies'),
  awardField: R('award.award.field', 'award.award', 'people.profession', 'people.profession.awards'),
} as const;

export type Triple = [subject: string, relation: string, object: string];

export class KnowledgeGraph {
  readonly types = new Map<string, string>();
  /** Forward triples only (inverses are derived). */
  readonly triples: Triple[] = [];
  private readonly edges = new Map<string, Map<string, Set<string>>>();
  private readonly attrs = new Map<string, Map<string, number>>();
  /** Range type of every relation, forward and inverse. */
  readonly ranges = new Map<string, string>();
  private readonly byLowerName = new Map<string, string>();

  addEntity(name: string, type: string): void {
    const existing = this.types.get(name);
    if (existing && existing !== type) throw new Error(`KnowledgeGraph: ${name} is already a ${existing}, not a ${type}`);
    this.types.set(name, type);
    this.byLowerName.set(name.toLowerCase(), name);
  }

  add(spec: RelationSpec, subject: string, object: string): void {
    for (const [name, type] of [[subject, spec.domain], [object, spec.range]]) {
      if (this.types.get(name) !== type) throw new Error(`KnowledgeGraph: ${name} must be a ${type} for ${spec.name}`);
    }
    this.triples.push([subject, spec.name, object]);
    this.link(subject, spec.name, object);
    this.link(object, spec.inverse, subject);
    this.ranges.set(spec.name, spec.range);
    this.ranges.set(spec.inverse, spec.domain);
  }

  setAttribute(entity: string, attribute: string, value: number): void {
    if (!this.types.has(entity)) throw new Error(`KnowledgeGraph: unknown entity ${entity}`);
    let m = this.attrs.get(entity);
    if (!m) this.attrs.set(entity, (m = new Map()));
    m.set(attribute, value);
  }

  /** The canonical name of an entity, matched case-insensitively. */
  resolve(name: string): string | undefined {
    return this.byLowerName.get(name.trim().toLowerCase());
  }

  relationsOf(entity: string): string[] {
    return [...(this.edges.get(entity)?.keys() ?? [])];
  }

  neighbors(entity: string, relation: string): string[] {
    return [...(this.edges.get(entity)?.get(relation) ?? [])];
  }

  attributesOf(entity: string): string[] {
    return [...(this.attrs.get(entity)?.keys() ?? [])];
  }

  attribute(entity: string, attribute: string): number | undefined {
    return this.attrs.get(entity)?.get(attribute);
  }

  private link(from: string, relation: string, to: string): void {
    let m = this.edges.get(from);
    if (!m) this.edges.set(from, (m = new Map()));
    let s = m.get(relation);
    if (!s) m.set(relation, (s = new Set()));
    s.add(to);
  }
}

export const ATTRIBUTES = {
  birthYear: 'people.person.birth_year',
  deathYear: 'people.person.death_year',
  population: 'location.city.population',
  cityFounded: 'location.city.founded_year',
  countryFounded: 'location.country.founded_year',
  workYear: 'creative.work.year_completed',
  universityFounded: 'education.university.founded_year',
  companyFounded: 'business.company.founded_year',
  employees: 'business.company.number_of_employees',
  riverLength: 'geography.river.length_km',
  awardEstablished: 'award.award.established_year',
} as const;

/** The profession entity for an occupation word, e.g. "novelist" -> "Novelist". */
export const professionName = (occupation: string) => occupation[0].toUpperCase() + occupation.slice(1);

export function buildGraph(w: World): KnowledgeGraph {
  const g = new KnowledgeGraph();
  const A = ATTRIBUTES;
  for (const c of w.countries) g.addEntity(c.name, 'location.country');
  for (const c of w.cities) g.addEntity(c.name, 'location.city');
  for (const r of w.rivers) g.addEntity(r.name, 'geography.river');
  for (const p of w.people) g.addEntity(p.name, 'people.person');
  for (const x of w.works) g.addEntity(x.title, 'creative.work');
  for (const u of w.universities) g.addEntity(u.name, 'education.university');
  for (const c of w.companies) g.addEntity(c.name, 'business.company');
  for (const a of w.awards) g.addEntity(a.name, 'award.award');
  for (const l of w.languages) g.addEntity(l, 'language.human_language');
  for (const c of w.currencies) g.addEntity(c, 'finance.currency');
  for (const x of w.genres) g.addEntity(x, 'creative.genre');
  for (const i of w.industries) g.addEntity(i, 'business.industry');
  for (const o of new Set(w.people.map((p) => p.occupation))) g.addEntity(professionName(o), 'people.profession');

  for (const c of w.countries) {
    g.add(RELATIONS.capital, c.name, c.capital);
    g.add(RELATIONS.language, c.name, c.language);
    g.add(RELATIONS.currency, c.name, c.currency);
    g.setAttribute(c.name, A.countryFounded, c.founded);
  }
  for (const c of w.cities) {
    g.add(RELATIONS.cityCountry, c.name, c.country);
    g.setAttribute(c.name, A.population, c.population);
    g.setAttribute(c.name, A.cityFounded, c.founded);
  }
  for (const r of w.rivers) {
    for (const c of r.cities) g.add(RELATIONS.riverCities, r.name, c);
    g.setAttribute(r.name, A.riverLength, r.lengthKm);
  }
  for (const p of w.people) {
    g.add(RELATIONS.birthplace, p.name, p.birthCity);
    g.add(RELATIONS.nationality, p.name, p.country);
    g.add(RELATIONS.profession, p.name, professionName(p.occupation));
    if (p.university) g.add(RELATIONS.education, p.name, p.university);
    for (const a of p.awards) g.add(RELATIONS.award, p.name, a);
    g.setAttribute(p.name, A.birthYear, p.born);
    if (p.died) g.setAttribute(p.name, A.deathYear, p.died);
  }
  for (const x of w.works) {
    g.add(RELATIONS.creator, x.title, x.creator);
    g.add(RELATIONS.genre, x.title, x.genre);
    g.setAttribute(x.title, A.workYear, x.year);
  }
  for (const u of w.universities) {
    g.add(RELATIONS.universityCity, u.name, u.city);
    g.add(RELATIONS.universityFounder, u.name, u.founder);
    g.setAttribute(u.name, A.universityFounded, u.founded);
  }
  for (const c of w.companies) {
    g.add(RELATIONS.headquarters, c.name, c.city);
    g.add(RELATIONS.companyFounder, c.name, c.founder);
    g.add(RELATIONS.industry, c.name, c.industry);
    g.setAttribute(c.name, A.companyFounded, c.founded);
    g.setAttribute(c.name, A.employees, c.employees);
  }
  for (const a of w.awards) {
    g.add(RELATIONS.awardField, a.name, professionName(a.field));
    g.setAttribute(a.name, A.awardEstablished, a.established);
  }
  return g;
}

let cached: KnowledgeGraph | undefined;
export function knowledgeGraph(): KnowledgeGraph {
  return (cached ??= buildGraph(world()));
}
