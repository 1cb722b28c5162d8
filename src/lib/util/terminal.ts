/** CSI sequences (colours, cursor moves), OSC sequences (window titles) and two-byte escapes of a terminal stream. */
export const TERMINAL_ESCAPES = /\x1b\[[0-?]*[ -\/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]/g;

/** A terminal stream as plain text: escape sequences removed, CRLF (and lone CR) as LF. */
export function terminalText(raw: string): string {
  return raw.replace(TERMINAL_ESCAPES, '').replace(/\r\n?/g, '\n');
}
