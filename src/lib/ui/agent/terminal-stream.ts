/**
 * What the live terminal writes: the session's stream as it grows, with the invisible characters of visible-text.ts
 * turned into marks the terminal draws (a bidi override in the stream would otherwise reorder the line, a zero-width
 * space hide inside a word). The terminal's own controls stay: escape sequences (colours, cursor moves), carriage
 * return, backspace and bell.
 */
import { TERMINAL_ESCAPES } from '../../util/terminal';
import { visibleParts } from '../visible-text';

const TERMINAL_CONTROLS = new Set(['\r', '\b', '\x07']);
/** A mark in red on the terminal's background, then the default colour again. */
const mark = (control: string) => `\x1b[31m⟨${control}⟩\x1b[39m`;

/** What to write to a terminal that shows `shown` so that it shows `text`: the new end, or everything anew. */
export function terminalUpdate(shown: string, text: string): { reset: boolean; data: string } {
  return text.startsWith(shown) ? { reset: false, data: text.slice(shown.length) } : { reset: true, data: text };
}

function markedText(text: string): string {
  return visibleParts(text)
    .map((part) => {
      if ('text' in part) return part.text;
      const ch = String.fromCodePoint(parseInt(part.control.slice(2), 16));
      return TERMINAL_CONTROLS.has(ch) ? ch : mark(part.control);
    })
    .join('');
}

/** The stream with its escape sequences kept and every other invisible character shown as a mark. */
export function terminalMarks(stream: string): string {
  let out = '';
  let last = 0;
  for (const m of stream.matchAll(TERMINAL_ESCAPES)) {
    out += markedText(stream.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + markedText(stream.slice(last));
}
