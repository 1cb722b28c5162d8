/**
 * Builds xterm.js so that it runs under the page's CSP (`style-src 'self'`): its DOM renderer writes rules into
 * `<style>` elements and colours into `style` attributes, which that policy refuses (xterm.js issue 4445). The
 * `<style>` elements become constructed stylesheets (src/lib/ui/constructed-style.ts) and the attribute writes
 * become CSSOM writes, which CSP does not govern. The build stops when xterm's code no longer has the expected
 * places, so an upgrade cannot quietly bring the refusals back.
 */
import type { Plugin } from 'vite';

const STYLE_ELEMENT = /([\w$]+(?:\.[\w$]+)*)\.createElement\("style"\)/g;
/** DomRendererRowFactory._addStyle: `t.setAttribute("style", `${t.getAttribute("style")||""}${e};`)`. */
const STYLE_ATTRIBUTE = /([\w$]+)\.setAttribute\("style",`\$\{\1\.getAttribute\("style"\)\|\|""\}\$\{([\w$]+)\};`\)/g;

/** Where xterm 6's bundle creates `<style>` elements (Viewport, and the DOM renderer's dimensions and theme). */
export const XTERM_STYLE_ELEMENTS = 3;

export function xtermWithoutInlineStyles(code: string, shimPath: string): string {
  const elements = code.match(STYLE_ELEMENT)?.length ?? 0;
  const attributes = code.match(STYLE_ATTRIBUTE)?.length ?? 0;
  if (elements !== XTERM_STYLE_ELEMENTS || attributes !== 1) {
    throw new Error(
      `xterm-csp: expected ${XTERM_STYLE_ELEMENTS} <style> elements and 1 style attribute write in @xterm/xterm, found ${elements} and ${attributes}: ` +
        'update scripts/lib/xterm-csp.ts for this xterm version.',
    );
  }
  const patched = code
    .replace(STYLE_ELEMENT, (_, doc: string) => `__constructedStyle(${doc})`)
    .replace(STYLE_ATTRIBUTE, (_, el: string, style: string) => `${el}.style.cssText+=\`\${${style}};\``);
  return `import { constructedStyle as __constructedStyle } from ${JSON.stringify(shimPath)};\n${patched}`;
}

export function xtermCspPlugin(shimPath: string): Plugin {
  return {
    name: 'xterm-csp',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]@xterm[\\/]xterm[\\/]lib[\\/]xterm\.mjs(\?|$)/.test(id)) return null;
      return { code: xtermWithoutInlineStyles(code, shimPath), map: null };
    },
  };
}
