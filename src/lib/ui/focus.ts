/**
 * Keeps a keyboard user's place when the control they used goes away: a Send button that turns into Stop, a
 * Run button disabled while it runs, a Delete replaced by its confirmation. The browser then leaves focus on the
 * page itself (or on the disabled control, where keys do nothing); this puts it on the control that takes over.
 * Only for the keyboard: after a tap or a click, a focus moved by script would draw its ring on a button nobody
 * aimed at (the booth's task after each run).
 */
let keyboard = false;
if (typeof window !== 'undefined') {
  window.addEventListener('keydown', () => (keyboard = true), { capture: true, passive: true });
  window.addEventListener('pointerdown', () => (keyboard = false), { capture: true, passive: true });
}

function focusLost(): boolean {
  const active = document.activeElement as (HTMLElement & { disabled?: boolean }) | null;
  return !active || active === document.body || !active.isConnected || active.disabled === true;
}

/** Moves focus to `target` if focus was lost (see above) and the visitor uses the keyboard. */
export function refocus(target: HTMLElement | null | undefined): void {
  if (keyboard && target && target.isConnected && focusLost()) target.focus();
}
