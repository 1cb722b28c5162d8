/**
 * A stand-in for a `<style>` element whose rules live in a constructed stylesheet. Under the page's CSP
 * (`style-src 'self'`, no 'unsafe-inline') a `<style>` element written at run time is refused; a constructed
 * stylesheet adopted by the document is not inline markup and is allowed. xterm's DOM renderer writes its theme and
 * sizes into `<style>` elements (xterm.js issue 4445): the build points those at this (scripts/lib/xterm-csp.ts).
 */
export function constructedStyle(doc: Document): HTMLElement {
  const element = doc.createElement('constructed-style');
  element.hidden = true;
  const sheet = new doc.defaultView!.CSSStyleSheet();
  let css = '';
  Object.defineProperty(element, 'textContent', {
    get: () => css,
    set: (text: string | null) => {
      css = text ?? '';
      sheet.replaceSync(css);
      if (!doc.adoptedStyleSheets.includes(sheet)) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    },
  });
  const remove = element.remove.bind(element);
  element.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    remove();
  };
  return element;
}
