/**
 * A WebShop-style store in text mode: a search page, results pages (10 per page, Next > / < Prev, Back to Search),
 * product pages with options, Description / Features / Reviews and Buy Now. Each observation ends with the
 * available actions as JSON (the shop protocol's contract); buying ends the episode with WebShop's reward. An action
 * the page does not offer changes nothing and says nothing, as in WebShop. Whether WebShop's own site lets a search
 * run from a page without the search bar is decided by its web_agent_site code, which is not in the fixture sources:
 * here it does nothing.
 */
import type { Action, EnvModule, EnvView, StepResult, TaskEnvironment } from '../types';
import { products, type Product } from './catalog';
import { RESULTS_PER_PAGE, shopExperts, shopTasks, type ShopTask } from './goals';
import { shopReward } from './reward';
import { catalogSearch, ProductSearch } from './search';

type Page =
  | { kind: 'search' }
  | { kind: 'results'; keywords: string; results: Product[]; page: number }
  | { kind: 'item'; product: Product; from: Page }
  | { kind: 'detail'; product: Product; section: 'Description' | 'Features' | 'Reviews'; from: Page }
  | { kind: 'done'; product: Product; reward: number };

const money = (n: number) => `$${n.toFixed(2)}`;

export class ShopEnvironment implements TaskEnvironment<ShopTask> {
  readonly id = 'shop' as const;
  private task?: ShopTask;
  private page: Page = { kind: 'search' };
  private chosen: Record<string, string> = {};
  private readonly byAsin: Map<string, Product>;
  private readonly search: ProductSearch;

  /** `catalog` replaces the bundled products (tests use small hand-made ones). */
  constructor(catalog?: readonly Product[]) {
    this.byAsin = new Map((catalog ?? products).map((p) => [p.asin.toLowerCase(), p]));
    this.search = catalog ? new ProductSearch(catalog) : catalogSearch();
  }

  async reset(task: ShopTask): Promise<string> {
    this.task = task;
    this.page = { kind: 'search' };
    this.chosen = {};
    return this.render();
  }

  async step(action: Action): Promise<StepResult> {
    if (!this.task) throw new Error('ShopEnvironment.step: call reset(task) first');
    const page = this.page;
    if (page.kind === 'done') return { observation: 'The purchase is complete; the episode has finished.', done: true, reward: page.reward };
    const arg = action.type === 'tool' && typeof action.args === 'string' ? action.args.trim() : '';
    if (action.type === 'tool' && action.name === 'search') {
      if (page.kind !== 'search') return this.invalid(`search[${arg}] is only available on the search page; click[Back to Search] first.`);
      if (!arg) return this.invalid('search needs keywords, as in search[rain jacket].');
      this.page = { kind: 'results', keywords: arg, results: this.search.search(arg), page: 1 };
      return this.ok();
    }
    if (action.type !== 'tool' || action.name !== 'click') return this.invalid('Use search[keywords] or click[value].');
    const value = arg.toLowerCase();
    if (!this.clickables().includes(value)) return this.invalid(`click[${arg}] is not one of the available actions.`);

    if (value === 'back to search') {
      this.page = { kind: 'search' };
      this.chosen = {};
    } else if (value === 'next >' && page.kind === 'results') {
      this.page = { ...page, page: page.page + 1 };
    } else if (value === '< prev') {
      if (page.kind === 'results') this.page = { ...page, page: page.page - 1 };
      else if (page.kind === 'item' || page.kind === 'detail') {
        this.page = page.from;
        if (page.kind === 'item') this.chosen = {};
      }
    } else if (page.kind === 'results') {
      this.page = { kind: 'item', product: this.byAsin.get(value)!, from: page };
    } else if (page.kind === 'item') {
      const p = page.product;
      if (value === 'buy now') {
        const { reward } = shopReward(p, this.task.data, this.chosen);
        this.page = { kind: 'done', product: p, reward };
        return { observation: this.render(), done: true, reward };
      }
      if (value === 'description' || value === 'features' || value === 'reviews') {
        this.page = { kind: 'detail', product: p, section: (value[0].toUpperCase() + value.slice(1)) as 'Description', from: page };
      } else {
        const option = Object.entries(p.options).find(([, vs]) => vs.includes(value));
        if (option) this.chosen[option[0]] = value;
      }
    }
    return this.ok();
  }

  async view(): Promise<EnvView> {
    const page = this.page;
    return {
      kind: 'shop',
      instruction: this.task?.data.instruction,
      page: page.kind,
      keywords: page.kind === 'results' ? page.keywords : undefined,
      results: page.kind === 'results' ? this.pageItems(page).map((p) => ({ asin: p.asin, title: p.title, price: p.price })) : undefined,
      product: page.kind === 'item' || page.kind === 'detail' || page.kind === 'done' ? page.product : undefined,
      selected: { ...this.chosen },
      reward: page.kind === 'done' ? page.reward : undefined,
    };
  }

  private ok(): StepResult {
    return { observation: this.render(), done: false, reward: 0 };
  }

  /**
   * An action the page does not offer does nothing: the observation is the same page, with no message, as
   * WebShop's text env does ("If the action is not valid, perform nothing.", webshop/__init__.py:24). `why` is for
   * the code's reader only.
   */
  private invalid(_why: string): StepResult {
    return this.ok();
  }

  private pageItems(page: Extract<Page, { kind: 'results' }>): Product[] {
    return page.results.slice((page.page - 1) * RESULTS_PER_PAGE, page.page * RESULTS_PER_PAGE);
  }

  private clickables(): string[] {
    const page = this.page;
    switch (page.kind) {
      case 'search':
        return ['search'];
      case 'results': {
        const more = page.page * RESULTS_PER_PAGE < page.results.length;
        return ['back to search', ...(page.page > 1 ? ['< prev'] : []), ...(more ? ['next >'] : []), ...this.pageItems(page).map((p) => p.asin.toLowerCase())];
      }
      case 'item':
        return ['back to search', '< prev', ...Object.values(page.product.options).flat(), 'description', 'features', 'reviews', 'buy now'];
      case 'detail':
        return ['back to search', '< prev'];
      case 'done':
        return [];
    }
  }

  private render(): string {
    const page = this.page;
    const instruction = this.task!.data.instruction;
    const head = ['Instruction:', instruction, 'Back to Search'];
    let parts: string[];
    switch (page.kind) {
      case 'search':
        parts = ['WebShop', 'Instruction:', instruction, 'Search'];
        break;
      case 'results': {
        const nav = [...(page.page > 1 ? ['< Prev'] : []), ...(page.page * RESULTS_PER_PAGE < page.results.length ? ['Next >'] : [])];
        parts = [...head, `Page ${page.page} (Total results: ${page.results.length})`, ...nav, ...this.pageItems(page).flatMap((p) => [p.asin, p.title, money(p.price)])];
        break;
      }
      case 'item': {
        const p = page.product;
        parts = [...head, '< Prev', ...Object.entries(p.options).flatMap(([n, vs]) => [n, ...vs]), p.title, `Price: ${money(p.price)}`, `Rating: ${p.rating.toFixed(1)}`, 'Description', 'Features', 'Reviews', 'Buy Now'];
        break;
      }
      case 'detail': {
        const p = page.product;
        const body = page.section === 'Description' ? [p.description] : page.section === 'Features' ? p.features : p.reviews;
        parts = [...head, '< Prev', ...body];
        break;
      }
      case 'done':
        return ['Thank you for shopping with us!', 'Purchased', page.product.asin, page.product.title, 'Your score (min 0.0, max 1.0)', page.reward.toFixed(2)].join(' [SEP] ');
    }
    const available = `{"has_search_bar": ${page.kind === 'search'}, "clickables": [${this.clickables().map((c) => JSON.stringify(c)).join(', ')}]}`;
    return `${parts.join(' [SEP] ')}\n\nAvailable Actions:\n${available}`;
  }
}

export const envModule: EnvModule<ShopTask> = {
  id: 'shop',
  label: 'Shop (WebShop-style store of 220 invented products)',
  protocolId: 'shop',
  tasks: shopTasks,
  create: async () => new ShopEnvironment(),
  experts: shopExperts,
};
