/**
 * Wiki QA over the offline fictional wiki, with the observations the HotpotQA held-out harness got from langchain's
 * DocstoreExplorer over its Wikipedia docstore (langchain-ai/langchain, copies in
 * tests/fixtures/agentbench/sources/langchain/): Search opens a page and shows its first paragraph (the text before
 * the first blank line) or says `Could not find [X]. Similar: [...]`; Lookup walks the paragraphs of the open page
 * that contain the keyword, `(Result i/n) ...`; Finish says `Answer is CORRECT` or `Answer is INCORRECT` (exact
 * match, agent_arch.py:194-202) and the reward is HotpotQA's token F1 (agent_arch.py:149-150); the view reports both.
 * The protocol (`Observation n: ` and format_step, which joins the lines of a result) is in agent/protocols/wiki.ts.
 *
 * What depends on Wikipedia and is ours instead: the pages (one short article per entity, paragraphs on lines of
 * their own, no sections, so a page is one "paragraph" to DocstoreExplorer and Search shows all of it); which query
 * opens a page (the `wikipedia` package auto-suggests the closest title; here only a title that matches, ignoring case
 * and punctuation, opens one); and the similar titles (Wikipedia's search, 10 results; here BM25 over the corpus).
 */
import type { Action, EnvModule, EnvView, StepResult, TaskEnvironment } from '../types';
import { pyRepr } from '../../agent/protocols/text';
import { findArticle, searchArticles, sentences, type WikiArticle } from './corpus';
import { wikiExperts, wikiTasks, type WikiTask } from './questions';
import { exactMatch, f1Score } from './score';

/** Titles langchain's Wikipedia docstore lists when a page is not found (`wikipedia.search`'s default of 10). */
const SIMILAR = 10;

export class WikiEnvironment implements TaskEnvironment<WikiTask> {
  readonly id = 'wiki' as const;
  private task?: WikiTask;
  private page?: WikiArticle;
  private lookupStr = '';
  private lookupIndex = 0;
  private answer?: string;

  async reset(task: WikiTask): Promise<string> {
    this.task = task;
    this.page = undefined;
    this.lookupStr = '';
    this.lookupIndex = 0;
    this.answer = undefined;
    return task.data.question;
  }

  async step(action: Action): Promise<StepResult> {
    if (!this.task) throw new Error('WikiEnvironment.step: call reset(task) first');
    if (this.answer !== undefined) return { observation: 'The episode has already finished.', done: true, reward: this.f1() };
    if (action.type === 'final') {
      this.answer = Array.isArray(action.answer) ? action.answer.join(', ') : action.answer;
      // agent_arch.py:194-202: the observation says exact match; the reward is F1.
      const correct = exactMatch(this.answer, this.task.data.answer);
      return { observation: correct ? 'Answer is CORRECT' : 'Answer is INCORRECT', done: true, reward: this.f1() };
    }
    if (action.type === 'tool' && typeof action.args === 'string') {
      if (action.name === 'search') return this.result(this.search(action.args));
      if (action.name === 'lookup') return this.result(this.lookup(action.args));
    }
    // agent_arch.py:218.
    return this.result('Invalid Action. Valid Actions are Lookup[<topic>] Search[<topic>] and Finish[<answer>].');
  }

  async view(): Promise<EnvView> {
    const finished = this.answer !== undefined && this.task;
    return {
      kind: 'wiki',
      question: this.task?.data.question,
      page: this.page ? { title: this.page.title, sentences: sentences(this.page) } : null,
      lookup: this.page && this.lookupStr ? { keyword: this.lookupStr, shown: this.lookupIndex + 1, total: this.lookups().length } : null,
      answer: this.answer ?? null,
      gold: finished ? this.task?.data.answer : undefined,
      f1: finished ? this.f1() : undefined,
      em: finished ? exactMatch(this.answer!, this.task!.data.answer) : undefined,
    };
  }

  private f1(): number {
    return this.answer === undefined || !this.task ? 0 : f1Score(this.answer, this.task.data.answer);
  }

  private result(observation: string): StepResult {
    return { observation, done: false, reward: 0 };
  }

  /** DocstoreExplorer.search over langchain's Wikipedia docstore (wikipedia.py search, base.py search/_summary). */
  private search(entity: string): string {
    const page = findArticle(entity);
    if (!page) {
      this.page = undefined;
      return `Could not find [${entity}]. Similar: ${pyRepr(searchArticles(entity, SIMILAR).map((a) => a.title))}`;
    }
    this.page = page;
    return this.paragraphs()[0];
  }

  /** DocstoreExplorer.lookup (base.py), and agent_arch.py:211-215 for a lookup with no page open. */
  private lookup(term: string): string {
    if (!this.page) {
      return 'The last page Searched was not found, so you cannot Lookup a keyword in it. Please try one of the similar pages given.';
    }
    if (term.toLowerCase() !== this.lookupStr) {
      this.lookupStr = term.toLowerCase();
      this.lookupIndex = 0;
    } else {
      this.lookupIndex += 1;
    }
    const lookups = this.lookups();
    if (lookups.length === 0) return 'No Results';
    if (this.lookupIndex >= lookups.length) return 'No More Results';
    return `(Result ${this.lookupIndex + 1}/${lookups.length}) ${lookups[this.lookupIndex]}`;
  }

  private paragraphs(): string[] {
    return this.page ? this.page.text.split('\n\n') : [];
  }

  private lookups(): string[] {
    return this.paragraphs().filter((p) => p.toLowerCase().includes(this.lookupStr));
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
