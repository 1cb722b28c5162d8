/**
 * A tiny markdown reader for model output and observations. It never produces HTML: it returns a
 * tree of plain-text nodes that the Svelte components render with text interpolation, so markup in
 * the input (script tags, event-handler attributes) stays visible text. Links keep only http(s) and
 * mailto targets; any other target (javascript:, data:, relative) is shown as the literal source.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'list'; ordered: boolean; items: Inline[][] };

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
/** Emphasis inside emphasis inside ... stops nesting here and stays text. */
const MAX_DEPTH = 6;

export function safeHref(raw: string): string | null {
  const trimmed = raw.trim();
  // Only absolute URLs: a relative target would resolve against the app and could reach its own routes.
  if (!/^(https?:\/\/|mailto:)/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n')) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^\s*(```+|~~~+)\s*([\w+#.-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].trim().startsWith(fence[1])) body.push(lines[i++]);
      blocks.push({ type: 'code', lang: fence[2].toLowerCase(), text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: 'heading', level: heading[1].length, children: parseInline(heading[2]) });
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[1]);
      const last = blocks.at(-1);
      const list = last?.type === 'list' && last.ordered === ordered ? last : undefined;
      if (list) list.items.push(parseInline(item[2]));
      else blocks.push({ type: 'list', ordered, items: [parseInline(item[2])] });
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
  }
  flush();
  return blocks;
}

/** Counts the inline parser's steps: tests bound its work with it, whatever the machine's speed. */
export interface ParseMeter {
  steps: number;
}

const NONE = -1;

/**
 * `next[p]`: the first position q >= p where `is(q)` holds, or NONE. One backward pass; every "where does this
 * delimiter close" question is then answered in one step, so the parser stays linear in the text's length even
 * when nothing closes (`*a*a*a...`, `[[[[...`), where scanning ahead from every opener would be quadratic.
 */
function nextWhere(length: number, is: (q: number) => boolean, meter?: ParseMeter): Int32Array {
  const next = new Int32Array(length + 1).fill(NONE);
  for (let q = length - 1; q >= 0; q--) next[q] = is(q) ? q : next[q + 1];
  if (meter) meter.steps += length;
  return next;
}

const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
const isWord = (c: string | undefined) => c !== undefined && /\w/.test(c);
const isEmFlank = (c: string | undefined) => c !== undefined && !isSpace(c) && c !== '*' && c !== '_';

/** Where each kind of closing delimiter of `text` can be. */
class Closers {
  /** `**` / `__` with a non-space before it. */
  readonly strong: Record<'*' | '_', Int32Array>;
  /** `*` / `_` with a non-space, non-delimiter before it and no delimiter or word character after it. */
  readonly em: Record<'*' | '_', Int32Array>;
  /** `]` or a newline (a link's text cannot cross either). */
  readonly bracket: Int32Array;
  /** `(`, `)` or white space (a link's target cannot hold any). */
  readonly paren: Int32Array;
  /** For each backtick, where its run ends; and the starts of the maximal runs, by length. */
  private readonly tickRunEnd: Int32Array;
  private readonly runsByLength = new Map<number, { starts: number[]; next: number }>();

  constructor(text: string, meter?: ParseMeter) {
    const n = text.length;
    const strong = (d: string) => nextWhere(n, (q) => text[q] === d && text[q + 1] === d && q > 0 && !isSpace(text[q - 1]), meter);
    const em = (d: string) => nextWhere(n, (q) => text[q] === d && isEmFlank(text[q - 1]) && !(text[q + 1] === '*' || text[q + 1] === '_' || isWord(text[q + 1])), meter);
    this.strong = { '*': strong('*'), _: strong('_') };
    this.em = { '*': em('*'), _: em('_') };
    this.bracket = nextWhere(n, (q) => text[q] === ']' || text[q] === '\n', meter);
    this.paren = nextWhere(n, (q) => text[q] === '(' || text[q] === ')' || isSpace(text[q]), meter);
    this.tickRunEnd = new Int32Array(n + 1);
    for (let q = n - 1; q >= 0; q--) this.tickRunEnd[q] = text[q] === '`' ? (text[q + 1] === '`' ? this.tickRunEnd[q + 1] : q + 1) : q;
    for (let q = 0; q < n; q++) {
      if (text[q] !== '`' || text[q - 1] === '`') continue;
      const length = this.tickRunEnd[q] - q;
      let runs = this.runsByLength.get(length);
      if (!runs) this.runsByLength.set(length, (runs = { starts: [], next: 0 }));
      runs.starts.push(q);
    }
    if (meter) meter.steps += 2 * n;
  }

  /** Length of the backtick run from `p` on (0 when `p` is no backtick). */
  ticks(p: number): number {
    return this.tickRunEnd[p] - p;
  }

  /** The first maximal run of exactly `length` backticks starting at or after `from`. Asked with growing `from`. */
  tickRun(length: number, from: number, meter?: ParseMeter): number {
    const runs = this.runsByLength.get(length);
    if (!runs) return NONE;
    while (runs.next < runs.starts.length && runs.starts[runs.next] < from) {
      runs.next++;
      if (meter) meter.steps++;
    }
    return runs.next < runs.starts.length ? runs.starts[runs.next] : NONE;
  }
}

/**
 * Inline spans: `code`, **strong**, *em* / _em_ (not inside a word), [links](https://...). The first closing
 * delimiter after an opener closes it; an opener that nothing closes is text.
 */
export function parseInline(text: string, depth = 0, meter?: ParseMeter): Inline[] {
  const out: Inline[] = [];
  const closers = new Closers(text, meter);
  let plain = '';
  const push = (node: Inline) => {
    if (plain) out.push({ type: 'text', text: plain });
    plain = '';
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    if (meter) meter.steps++;
    const c = text[i];
    if (c === '`') {
      const length = closers.ticks(i);
      // Non-empty content that neither starts nor ends with a backtick, closed by a run of the same length.
      const close = closers.tickRun(length, i + length + 1, meter);
      if (close !== NONE) {
        push({ type: 'code', text: text.slice(i + length, close) });
        i = close + length;
        continue;
      }
    }
    if (depth < MAX_DEPTH) {
      if ((c === '*' || c === '_') && text[i + 1] === c && !isSpace(text[i + 2]) && i + 2 < text.length) {
        const close = closers.strong[c][i + 3];
        if (close !== NONE && close !== undefined) {
          push({ type: 'strong', children: parseInline(text.slice(i + 2, close), depth + 1, meter) });
          i = close + 2;
          continue;
        }
      }
      if ((c === '*' || c === '_') && isEmFlank(text[i + 1]) && (c === '*' || !isWord(text[i - 1]))) {
        const close = closers.em[c][i + 2];
        if (close !== NONE && close !== undefined) {
          push({ type: 'em', children: parseInline(text.slice(i + 1, close), depth + 1, meter) });
          i = close + 1;
          continue;
        }
      }
      if (c === '[') {
        const label = closers.bracket[i + 1];
        if (label !== NONE && label > i + 1 && text[label] === ']' && text[label + 1] === '(') {
          const target = closers.paren[label + 2];
          if (target !== NONE && target !== undefined && target > label + 2 && text[target] === ')') {
            const href = safeHref(text.slice(label + 2, target));
            if (href) {
              push({ type: 'link', href, children: parseInline(text.slice(i + 1, label), depth + 1, meter) });
              i = target + 1;
              continue;
            }
          }
        }
      }
    }
    plain += c;
    i++;
  }
  if (plain) out.push({ type: 'text', text: plain });
  return out;
}
