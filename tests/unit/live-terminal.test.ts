import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { terminalMarks, terminalUpdate } from '../../src/lib/ui/agent/terminal-stream';
import { XTERM_STYLE_ELEMENTS, xtermWithoutInlineStyles } from '../../scripts/lib/xterm-csp';

describe('what the live terminal writes', () => {
  test('a grown session writes only its new end; a session that no longer starts with what is shown starts anew', () => {
    expect(terminalUpdate('', 'ls\r\n')).toEqual({ reset: false, data: 'ls\r\n' });
    expect(terminalUpdate('ls\r\n', 'ls\r\na  b\r\n# ')).toEqual({ reset: false, data: 'a  b\r\n# ' });
    expect(terminalUpdate('ls\r\na\r\n', 'ls\r\na\r\n')).toEqual({ reset: false, data: '' });
    // A new task's session, or the transcript's oldest part cut off.
    expect(terminalUpdate('ls\r\na\r\n', 'pwd\r\n/\r\n')).toEqual({ reset: true, data: 'pwd\r\n/\r\n' });
  });

  test('bidi and zero-width characters become red marks; escape sequences, CR, backspace and bell stay as the terminal acts on them', () => {
    expect(terminalMarks('safe \u202Etxt.exe\u202C\r\n')).toBe('safe \x1b[31m⟨U+202E⟩\x1b[39mtxt.exe\x1b[31m⟨U+202C⟩\x1b[39m\r\n');
    expect(terminalMarks('p\u200Bay')).toBe('p\x1b[31m⟨U+200B⟩\x1b[39may');
    expect(terminalMarks('\x1b[01;34mdir\x1b[0m  \x1b]0;root@host\x07x\b\x07\ty')).toBe('\x1b[01;34mdir\x1b[0m  \x1b]0;root@host\x07x\b\x07\ty');
    // An escape that starts no sequence, and other C0 controls, are shown rather than acted on.
    expect(terminalMarks('a\x1b\x00b')).toBe('a\x1b[31m⟨U+001B⟩\x1b[39m\x1b[31m⟨U+0000⟩\x1b[39mb');
    expect(terminalMarks('Kerala (കേരളം) — שלום 👩\u200D💻')).toBe('Kerala (കേരളം) — שלום 👩\u200D💻');
  });
});

describe('xterm.js built for the page CSP (scripts/lib/xterm-csp.ts)', () => {
  const xterm = readFileSync(createRequire(import.meta.url).resolve('@xterm/xterm/lib/xterm.mjs'), 'utf8');

  test('the installed xterm has its <style> elements and style attribute write where the build expects them', () => {
    expect(xterm.match(/\.createElement\("style"\)/g)).toHaveLength(XTERM_STYLE_ELEMENTS);
    const patched = xtermWithoutInlineStyles(xterm, '/shim.ts');
    expect(patched.startsWith('import { constructedStyle as __constructedStyle } from "/shim.ts";\n')).toBe(true);
    expect(patched).not.toMatch(/createElement\("style"\)|setAttribute\("style"/);
    expect(patched.match(/__constructedStyle\((?:this\._document|[\w$]+\.mainDocument)\)/g)).toHaveLength(XTERM_STYLE_ELEMENTS);
    expect(patched).toContain('t.style.cssText+=`${e};`');
  });

  test('a bundle without those places stops the build with what to update', () => {
    expect(() => xtermWithoutInlineStyles('export const x = 1;', '/shim.ts')).toThrow(/expected 3 <style> elements and 1 style attribute write in @xterm\/xterm, found 0 and 0: update scripts\/lib\/xterm-csp\.ts/);
  });
});
