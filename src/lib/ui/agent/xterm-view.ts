/**
 * The OS environment's live terminal: xterm.js showing the agent's session, loaded only when an OS task's view
 * shows (a dynamic import from LiveTerminal.svelte). Read-only: the agent types, the visitor watches, selects and
 * copies. The build makes xterm's styles CSP-safe (scripts/lib/xterm-csp.ts); its stylesheet is a file.
 */
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { terminalMarks, terminalUpdate } from './terminal-stream';

export interface TerminalView {
  /** Shows the session's stream `text` (the whole of it, as `view()` gives it): writes what is new. */
  show(text: string): void;
  dispose(): void;
}

export function openTerminal(host: HTMLElement, label: string): TerminalView {
  const terminal = new Terminal({
    disableStdin: true,
    cols: 80,
    rows: 20,
    scrollback: 5000,
    convertEol: true,
    cursorInactiveStyle: 'none',
    fontFamily: 'ui-monospace, monospace',
    fontSize: 13,
    theme: { background: '#111111', foreground: '#e6e6e6' },
  });
  terminal.open(host);
  terminal.textarea?.setAttribute('aria-label', label);
  // Ctrl+C (Ctrl+Shift+C, Cmd+C) copies the selection, as in a text field. xterm would make it the interrupt key,
  // and the browser's own copy finds nothing selected in xterm's hidden textarea. A refused clipboard changes nothing.
  terminal.attachCustomKeyEventHandler((e) => {
    if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'c') return true;
    if (e.type === 'keydown' && terminal.hasSelection()) navigator.clipboard?.writeText(terminal.getSelection()).catch(() => {});
    return false;
  });
  let shown = '';
  return {
    show(text) {
      const update = terminalUpdate(shown, text);
      shown = text;
      if (update.reset) terminal.reset();
      if (update.data) terminal.write(terminalMarks(update.data));
    },
    dispose() {
      terminal.dispose();
    },
  };
}
