import { Bm25Index } from '../search/bm25';
import { products, type Product } from './catalog';

/** WebShop's search returns at most 50 products. */
export const MAX_RESULTS = 50;

/** BM25 over each product's title, type, attributes, options and description. */
export class ProductSearch {
  private readonly index: Bm25Index;

  constructor(private readonly products: readonly Product[]) {
    this.index = new Bm25Index(
      products.map((p) => [p.title, p.query, p.attributes.join(' '), Object.values(p.options).flat().join(' '), p.description].join(' ')),
    );
  }

  search(keywords: string): Product[] {
    return this.index.search(keywords, MAX_RESULTS).map((h) => this.products[h.doc]);
  }
}

let shared: ProductSearch | undefined;
/** The search over the bundled catalogue, built once. */
export function catalogSearch(): ProductSearch {
  return (shared ??= new ProductSearch(products));
}
