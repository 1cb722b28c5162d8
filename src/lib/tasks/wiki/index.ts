/**
 * Wiki QA in HotpotQA's ReAct format over the offline fictional wiki: search[entity] opens a page (its first five
 * sentences) or lists similar titles, lookup[keyword] walks the sentences of the open page, finish[answer] ends
 * the episode with exact match after HotpotQA's normalisation.
 */
import type { Action, EnvModule, EnvView, StepResult, TaskEnvironment } from '../types';
import { findArticle, searchArticles, sentences, summary, type WikiArticle } from './corpus';
import { wikiExperts, wikiTasks, type WikiTask } from './questions';
import { exactMatch, f1Score } from './score';

const pythonList = (items: string[]) => `[${items.map((s) => `'${s.replace(/'/g, "\\'")}'`).join(', ')}]`;

export class WikiEnvironment implements TaskEnvironment<WikiTask> {
  readonly id = 'wiki' as const;
  private task?: WikiTask;
  private page?: WikiArticle;
  private lookup?: { keyword: string; results: string[]; next: number };
  private answer?: string;
  private reward = 0;

  async reset(task: WikiTask): Promise<string> {
    this.task = task;
    this.page = undefined;
    this.lookup = undefined;
    this.answer = undefined;
    this.reward = 0;
    return task.data.question;
  }

  async step(action: Action): Promise<StepResult> {
    if (!this.task) throw new Error('WikiEnvironment.step: call reset(task) first');
    if (this.answer !== undefined) return { observation: 'The episode has already finished.', done: true, reward: this.reward };
    if (action.type === 'final') {
      this.answer = Array.isArray(action.answer) ? action.answer.join(', ') : action.answer;
      this.reward = exactMatch(this.answer, this.task.data.answer) ? 1 : 0;
      return { observation: `Episode finished, reward = ${this.reward}`, done: true, reward: this.reward };
    }
    if (action.type === 'tool' && typeof action.args === 'string') {
      const arg = action.args.trim();
      if (action.name === 'search') return this.result(this.search(arg));
      if (action.name === 'lookup') return this.result(this.lookupStep(arg));
    }
    const shown = action.type === 'tool' ? `${action.name}[${typeof action.args === 'string' ? action.args : JSON.stringify(action.args)}]` : action.type;
    return this.result(`Invalid action: ${shown}. Valid actions are Search[entity], Lookup[keyword] and Finish[answer].`);
  }

  async view(): Promise<EnvView> {
    return {
      kind: 'wiki',
      question: this.task?.data.question,
      page: this.page ? { title: this.page.title, sentences: sentences(this.page) } : null,
      lookup: this.lookup ? { keyword: this.lookup.keyword, shown: this.lookup.next, total: this.lookup.results.length } : null,
      answer: this.answer ?? null,
      gold: this.answer !== undefined ? this.task?.data.answer : undefined,
      f1: this.answer !== undefined && this.task ? f1Score(this.answer, this.task.data.answer) : undefined,
    };
  }

  private result(observation: string): StepResult {
    return { observation, done: false, reward: 0 };
  }

  private search(entity: string): string {
    if (!entity) return 'Invalid action: Search needs an entity, as in Search[Tholulavia].';
    const exact = findArticle(entity);
    if (exact) {
      this.page = exact;
      this.lookup = undefined;
      return summary(exact);
    }
    return `Could not find ${entity}. Similar: ${pythonList(searchArticles(entity, 5).map((a) => a.title))}.`;
  }

  private lookupStep(keyword: string): string {
    if (!keyword) return 'Invalid action: Lookup needs a keyword, as in Lookup[founded].';
    if (!this.lookup || this.lookup.keyword !== keyword) {
      const needle = keyword.toLowerCase();
      const results = this.page ? sentences(this.page).filter((s) => s.toLowerCase().includes(needle)) : [];
      this.lookup = { keyword, results, next: 0 };
    }
    const l = this.lookup;
    if (l.next >= l.results.length) return 'No more results.';
    return `(Result ${l.next + 1} / ${l.results.length}) ${l.results[l.next++]}`;
  }
}

export const envModule: EnvModule<WikiTask> = {
  id: 'wiki',
  label: 'Wiki QA (HotpotQA-style, over an offline wiki of a fictional archipelago)',
  protocolId: 'wiki',
  tasks: wikiTasks,
  create: async () => new WikiEnvironment(),
  experts: wikiExperts,
};
