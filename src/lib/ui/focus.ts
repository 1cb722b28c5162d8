/**
 * Keeps a keyboard user's place when the control they used goes away: a Send button that turns into Stop, a
 * Run button disabled while it runs, a Delete replaced by its confirmation. The browser then leaves focus on the
 * page itself (or on the disabled control, where keys do nothing); this puts it on the control that takes over.
 */
export function focusLost(): boolean {
  const active = document.activeElement as (HTMLElement & { disabled?: boolean }) | null;
  return !active || active === document.body || !active.isConnected || active.disabled === true;
}

/** Moves focus to `target` if focus was lost (see above); leaves it where the user put it otherwise. */
export function refocus(target: HTMLElement | null | undefined): void {
  if (target && target.isConnected && focusLost()) target.focus();
}
