import { describe, expect, it } from 'vitest';
import { Bm25Index, tokenize } from '../../src/lib/tasks/search/bm25';

describe('tokenize', () => {
  it('lower-cases, splits on punctuation and drops stopwords', () => {
    expect(tokenize('The Red-Fox, of Élan (2019)!')).toEqual(['red', 'fox', 'elan', '2019']);
  });
  it('returns nothing for empty or symbol-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' -- ?? ')).toEqual([]);
  });
});

describe('Bm25Index', () => {
  const docs = [
    'red cotton shirt for men',
    'blue denim jeans',
    'red red red wool sweater with a long description about warmth and winter evenings',
    'green tea',
  ];
  const index = new Bm25Index(docs);

  it('ranks only documents sharing a term', () => {
    const hits = index.search('red shirt');
    expect(hits.map((h) => h.doc)).toEqual([0, 2]);
  });

  it('computes the textbook score for a single-term match', () => {
    // Token counts after stopword removal: doc0 [red cotton shirt men] = 4, doc1 [blue denim jeans] = 3,
    // doc2 [red red red wool sweater long description about warmth winter evenings] = 11, doc3 [green tea] = 2.
    const avg = (4 + 3 + 11 + 2) / 4;
    const idf = Math.log(1 + (4 - 1 + 0.5) / (1 + 0.5));
    const expected = (idf * 1 * 2.2) / (1 + 1.2 * (1 - 0.75 + (0.75 * 2) / avg));
    const [hit] = index.search('tea');
    expect(hit.doc).toBe(3);
    expect(hit.score).toBeCloseTo(expected, 10);
  });

  it('rewards rarer terms more', () => {
    expect(index.idf('tea')).toBeGreaterThan(index.idf('red') - 1e-12);
    expect(index.idf('unknown')).toBeGreaterThan(index.idf('tea'));
  });

  it('respects the limit and returns nothing for no overlap', () => {
    expect(index.search('red', 1)).toHaveLength(1);
    expect(index.search('xylophone')).toEqual([]);
    expect(new Bm25Index([]).search('red')).toEqual([]);
  });
});
