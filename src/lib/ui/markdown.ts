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

export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const push = (node: Inline) => {
    if (plain) out.push({ type: 'text', text: plain });
    plain = '';
    out.push(node);
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const code = /^(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/.exec(rest);
    if (code) {
      push({ type: 'code', text: code[2] });
      i += code[0].length;
      continue;
    }
    if (depth < MAX_DEPTH) {
      const strong = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1/.exec(rest);
      if (strong) {
        push({ type: 'strong', children: parseInline(strong[2], depth + 1) });
        i += strong[0].length;
        continue;
      }
      const em = /^([*_])(?=[^\s*_])([\s\S]*?[^\s*_])\1(?![*_\w])/.exec(rest);
      if (em && (em[1] === '*' || !/\w/.test(text[i - 1] ?? ''))) {
        push({ type: 'em', children: parseInline(em[2], depth + 1) });
        i += em[0].length;
        continue;
      }
      const link = /^\[([^\]\n]+)\]\(([^()\s]+)\)/.exec(rest);
      if (link) {
        const href = safeHref(link[2]);
        if (href) {
          push({ type: 'link', href, children: parseInline(link[1], depth + 1) });
          i += link[0].length;
          continue;
        }
      }
    }
    plain += text[i];
    i++;
  }
  if (plain) out.push({ type: 'text', text: plain });
  return out;
}
