/** Stop-string handling over the decoded text of one generation. */

/** Index in `text` where the earliest stop string starts, or -1. */
export function findStop(text: string, stops: readonly string[]): number {
  let at = -1;
  for (const s of stops) {
    if (!s) continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

/**
 * How much of `text` is safe to show while streaming: a tail that could still grow into a stop string
 * is held back, so the UI never flashes the start of a stop string that is then cut.
 */
export function visibleLength(text: string, stops: readonly string[]): number {
  let hold = 0;
  for (const s of stops) {
    for (let k = Math.min(s.length - 1, text.length); k > hold; k--) {
      if (text.endsWith(s.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return text.length - hold;
}
