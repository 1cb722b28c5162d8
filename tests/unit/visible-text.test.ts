import { expect, test } from 'vitest';
import { visibleParts, type VisiblePart } from '../../src/lib/ui/visible-text';

/** What a reader sees: ordinary text as it is, each invisible character as its mark. */
const shown = (parts: VisiblePart[]) => parts.map((p) => ('text' in p ? p.text : `⟨${p.control}⟩`)).join('');

test('a bidi override can no longer reorder a file name', () => {
  const parts = visibleParts('safe \u202Etxt.exe\u202C');
  expect(parts).toEqual([
    { text: 'safe ' },
    { control: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE' },
    { text: 'txt.exe' },
    { control: 'U+202C', name: 'POP DIRECTIONAL FORMATTING' },
  ]);
});

test('zero-width characters inside a word are shown', () => {
  expect(shown(visibleParts('p\u200Bay\u200Dpal'))).toBe('p⟨U+200B⟩ay⟨U+200D⟩pal');
  expect(shown(visibleParts('\uFEFFbom\u2060wj\u00ADshy\u2066iso\u2069'))).toBe('⟨U+FEFF⟩bom⟨U+2060⟩wj⟨U+00AD⟩shy⟨U+2066⟩iso⟨U+2069⟩');
});

test('C0 controls other than tab and newline are shown; tab, newline and ordinary text are kept', () => {
  expect(shown(visibleParts('a\tb\nc\u001b[31mred\r\u0000'))).toBe('a\tb\nc⟨U+001B⟩[31mred⟨U+000D⟩⟨U+0000⟩');
  expect(visibleParts('Kerala (കേരളം) — שלום 👍')).toEqual([{ text: 'Kerala (കേരളം) — שלום 👍' }]);
  expect(visibleParts('')).toEqual([]);
});

test('a joiner between emoji builds one emoji and stays; a lone one does not', () => {
  expect(visibleParts('👩\u200D💻')).toEqual([{ text: '👩\u200D💻' }]);
  expect(shown(visibleParts('👩\u200Dx'))).toBe('👩⟨U+200D⟩x');
});
