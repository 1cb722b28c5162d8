/**
 * Makes invisible characters visible in model and tool text. Bidi overrides and isolates reorder what follows them
 * (`safe \u202Etxt.exe\u202C` shows as "safe exe.txt"), zero-width characters hide inside words (`p\u200Bay\u200Dpal`
 * looks like "paypal"), and other control and format characters show nothing at all. Each becomes a visible mark
 * naming it; the text around it is left as it is. Tab and newline stay, and so does a zero-width joiner between
 * two emoji (it builds one emoji from them: 👩‍💻).
 */

export type VisiblePart = { text: string } | { control: string; name: string };

const NAMES: Record<number, string> = {
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x061c: 'ARABIC LETTER MARK',
  0x00ad: 'SOFT HYPHEN',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0x0000: 'NULL',
  0x001b: 'ESCAPE',
  0x000d: 'CARRIAGE RETURN',
};

/** Control (Cc) and format (Cf) characters, line and paragraph separators; not tab or newline. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F]/u;

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text split into runs of ordinary text and the invisible characters between them. One pass, linear. */
export function visibleParts(text: string): VisiblePart[] {
  const parts: VisiblePart[] = [];
  const chars = Array.from(text);
  let plain = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    const cp = ch.codePointAt(0)!;
    const emojiJoiner = cp === 0x200d && EMOJI.test(chars[i - 1] ?? '') && EMOJI.test(chars[i + 1] ?? '');
    if (ch === '\n' || ch === '\t' || emojiJoiner || !INVISIBLE.test(ch)) {
      plain += ch;
      continue;
    }
    if (plain) parts.push({ text: plain });
    plain = '';
    parts.push({ control: hex(cp), name: NAMES[cp] ?? 'invisible character' });
  }
  if (plain) parts.push({ text: plain });
  return parts;
}
