/**
 * The markdown reader and the components that render it, with hostile input: markup must stay text,
 * and only http(s)/mailto links survive. The components are rendered with Svelte's server renderer,
 * so the assertions read the real HTML the app would put in the page.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import Markdown from '../../src/lib/ui/Markdown.svelte';
import CodeBlock from '../../src/lib/ui/CodeBlock.svelte';
import { parseInline, parseMarkdown, safeHref, type Inline, type ParseMeter } from '../../src/lib/ui/markdown';

const html = (text: string) => render(Markdown, { props: { text } }).body;
/**
 * The real tags in rendered HTML with their attributes. Svelte escapes `<` in text as `&lt;` and `"` in
 * attribute values, so every `<name ...>` left in the output is an element the page would create.
 */
const elements = (markup: string) =>
  [...markup.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>"]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => ({
    tag: m[1].toLowerCase(),
    attributes: [...m[2].matchAll(/([^\s=]+)(?:="([^"]*)")?/g)].map((a) => ({ name: a[1].toLowerCase(), value: a[2] ?? '' })),
  }));
const tags = (markup: string) => elements(markup).map((e) => e.tag);
// `button` (with `type` and `data-testid`): a code block's own Copy control (CodeBlock.svelte), fixed text, never from the input.
const SAFE_TAGS = new Set(['div', 'p', 'strong', 'em', 'code', 'pre', 'span', 'a', 'ul', 'ol', 'li', 'button']);
const SAFE_ATTRIBUTES = new Set(['class', 'href', 'target', 'rel', 'role', 'aria-level', 'aria-label', 'data-language', 'dir', 'title', 'data-control', 'type', 'data-testid']);

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(1)">',
  '<svg onload=alert(1)><circle/></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1))',
  '[click](data:text/html,<script>alert(1)</script>)',
  '[click](vbscript:msgbox(1))',
  '[**bold <img src=x onerror=alert(1)>**](javascript:alert(1))',
  '**<b onmouseover=alert(1)>x</b>**',
  '*<i>_<u>nested_</u></i>*',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '# <h1 onclick=alert(1)>title</h1>',
  '- <li onclick=alert(1)>item</li>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<style>body{display:none}</style>',
  '"><script>alert(1)</script>',
];

describe('markdown rendering of hostile input', () => {
  it.each(HOSTILE)('%s renders only the renderer’s own tags and attributes', (input) => {
    const out = html(input);
    const found = elements(out);
    expect(found.length).toBeGreaterThan(0);
    for (const { tag, attributes } of found) {
      expect(SAFE_TAGS.has(tag), `<${tag}> in ${out}`).toBe(true);
      for (const { name, value } of attributes) {
        expect(SAFE_ATTRIBUTES.has(name), `${name}= on <${tag}> in ${out}`).toBe(true);
        if (name === 'href') expect(value).toMatch(/^(https?:|mailto:)/);
      }
    }
  });

  it('escapes markup so the visitor sees it as typed', () => {
    expect(html('<img src=x onerror="alert(1)">')).toContain('&lt;img src=x onerror="alert(1)">');
    expect(html('&lt;b&gt;')).toContain('&amp;lt;b&amp;gt;');
  });

  it('keeps http(s) and mailto links, with rel=noopener, and shows other targets as their source text', () => {
    const out = html('[docs](https://example.org/a?b=1&c=2) [bad](javascript:alert(1)) [mail](mailto:a@b.c)');
    expect([...out.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(['https://example.org/a?b=1&amp;c=2', 'mailto:a@b.c']);
    expect(out).toContain('rel="noopener noreferrer nofollow"');
    expect(out).toContain('[bad](javascript:alert(1))');
  });

  it('code blocks and spans keep their text verbatim, highlighted as plain tokens', () => {
    const out = render(CodeBlock, { props: { code: "echo '<script>x</script>'", language: 'bash' } }).body;
    expect(out).toContain('&lt;script>x&lt;/script>');
    expect(tags(out).filter((t) => t === 'script')).toEqual([]);
  });
});

describe('markdown structure', () => {
  it('reads paragraphs, headings, lists and fenced code', () => {
    expect(parseMarkdown('# Title\n\nSome *text*.\n\n- a\n- b\n\n1. one\n\n```sql\nSELECT 1;\n```')).toEqual([
      { type: 'heading', level: 1, children: [{ type: 'text', text: 'Title' }] },
      { type: 'paragraph', children: [{ type: 'text', text: 'Some ' }, { type: 'em', children: [{ type: 'text', text: 'text' }] }, { type: 'text', text: '.' }] },
      { type: 'list', ordered: false, items: [[{ type: 'text', text: 'a' }], [{ type: 'text', text: 'b' }]] },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'one' }]] },
      { type: 'code', lang: 'sql', text: 'SELECT 1;' },
    ]);
  });

  it('an unclosed fence takes the rest of the text as code', () => {
    expect(parseMarkdown('```bash\nls -la')).toEqual([{ type: 'code', lang: 'bash', text: 'ls -la' }]);
  });

  it('code spans win over emphasis, and snake_case words are not emphasis', () => {
    expect(parseInline('`**a**` my_var_name')).toEqual([{ type: 'code', text: '**a**' }, { type: 'text', text: ' my_var_name' }]);
  });

  it('deep nesting stops at a fixed depth (no runaway recursion)', () => {
    const deep = '**'.repeat(40) + 'x' + '**'.repeat(40);
    const depth = (nodes: Inline[]): number => Math.max(0, ...nodes.map((n) => ('children' in n ? 1 + depth(n.children) : 0)));
    expect(depth(parseInline(deep))).toBeLessThanOrEqual(7);
  });

  it('safeHref accepts only absolute http(s) and mailto URLs', () => {
    expect(safeHref('https://a.b/c')).toBe('https://a.b/c');
    expect(safeHref('/relative')).toBeNull();
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(safeHref('java\tscript:alert(1)')).toBeNull();
    expect(safeHref('http://')).toBeNull();
  });
});

describe('work is linear in the length, whatever the input', () => {
  // Inputs where a delimiter opens at every position and nothing (or everything) closes. The old reader scanned
  // ahead from each opener: `*a` x 32K took 6.5 s.
  const HOSTILE_SHAPES: [string, string][] = [
    ['*a', 'emphasis that never closes'],
    ['_a', 'underscore emphasis that never closes'],
    ['**a', 'strong that never closes'],
    ['[a', 'link text that never closes'],
    ['[a](b', 'link target that never closes'],
    ['`a', 'code that never closes'],
    ['``a`', 'code runs of the wrong length'],
    ['**a *b _c [d](https://x.y) ', 'nesting that closes'],
  ];
  const steps = (text: string) => {
    const meter: ParseMeter = { steps: 0 };
    parseInline(text, 0, meter);
    return meter.steps;
  };

  it.each(HOSTILE_SHAPES)('%s repeated to 64K characters (%s)', (unit) => {
    const small = unit.repeat(Math.ceil(32_768 / unit.length));
    const large = unit.repeat(Math.ceil(65_536 / unit.length));
    // A few passes over the text per nesting level (at most 7 levels), never a pass per position.
    expect(steps(large)).toBeLessThan(70 * large.length);
    expect(steps(large) / steps(small)).toBeLessThan(2.2);
  });

  it('an opener closes at the first closer, however far: 64K characters later', () => {
    const nodes = parseInline('*a'.repeat(32_768) + ' end*');
    expect(nodes).toHaveLength(1);
    expect(nodes[0].type).toBe('em');
    const [inner] = (nodes[0] as { children: Inline[] }).children;
    expect(inner).toEqual({ type: 'text', text: 'a' + '*a'.repeat(32_767) + ' end' });
  });
});
