/**
 * Okapi BM25 over a fixed set of documents (the shop catalogue, the wiki corpus).
 * Pure and synchronous: builds in memory, no I/O.
 */

const STOPWORDS = new Set(
  'a an and are as at be by for from has have he her his i in is it its of on or she that the their they this to was were which who with'.split(
    ' ',
  ),
);

/** Lower-cases, splits on anything that is not a letter or digit, drops common English stopwords. */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').match(/[a-z0-9]+/g);
  return words ? words.filter((w) => !STOPWORDS.has(w)) : [];
}

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation (default 0.75). */
  b?: number;
}

export interface Bm25Hit {
  /** Index of the document in the array given to the constructor. */
  doc: number;
  score: number;
}

export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly termFreqs: Map<string, number>[] = [];
  private readonly lengths: number[] = [];
  private readonly docFreq = new Map<string, number>();
  private readonly avgLength: number;

  constructor(documents: readonly string[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    for (const text of documents) {
      const tokens = tokenize(text);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.docFreq.set(t, (this.docFreq.get(t) ?? 0) + 1);
      this.termFreqs.push(tf);
      this.lengths.push(tokens.length);
    }
    const total = this.lengths.reduce((s, n) => s + n, 0);
    this.avgLength = documents.length ? total / documents.length || 1 : 1;
  }

  get size(): number {
    return this.termFreqs.length;
  }

  /** Inverse document frequency, the non-negative variant used by Lucene. */
  idf(term: string): number {
    const n = this.docFreq.get(term) ?? 0;
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** Documents with a positive score for `text`, best first; ties keep document order. */
  search(text: string, limit = 10): Bm25Hit[] {
    const terms = tokenize(text);
    const hits: Bm25Hit[] = [];
    for (let doc = 0; doc < this.size; doc++) {
      const tf = this.termFreqs[doc];
      const norm = this.k1 * (1 - this.b + (this.b * this.lengths[doc]) / this.avgLength);
      let score = 0;
      for (const term of terms) {
        const f = tf.get(term);
        if (f) score += (this.idf(term) * f * (this.k1 + 1)) / (f + norm);
      }
      if (score > 0) hits.push({ doc, score });
    }
    hits.sort((x, y) => y.score - x.score || x.doc - y.doc);
    return hits.slice(0, limit);
  }
}
