/**
 * A Web Lock a worker holds for as long as it lives. The browser releases a context's locks when the context ends
 * (it exits, crashes or is terminated), so the page can tell a live worker from a gone one: a worker blocked in a
 * long wasm call still holds its lock; one that exited does not. Outside a browser (Node) there are no Web Locks,
 * and these do nothing.
 */

const locks = (): LockManager | undefined => (typeof navigator === 'undefined' ? undefined : navigator.locks);

/** A name no other context uses, for `new Worker(url, { name })`: the worker reads it as `self.name`. */
export function lifetimeLockName(kind: string): string {
  // getRandomValues, unlike randomUUID, exists outside secure contexts too.
  return `agent-flan-${kind}-${Array.from(crypto.getRandomValues(new Uint32Array(2)), (n) => n.toString(36)).join('')}`;
}

/** In the worker, first thing: hold `name` until this context ends. */
export function holdLifetimeLock(name: string): void {
  if (!name) return;
  void locks()?.request(name, () => new Promise<never>(() => {}));
}

/** Whether a live context holds `name`. */
export async function lifetimeLockHeld(name: string): Promise<boolean> {
  const state = await locks()?.query();
  return state?.held?.some((lock) => lock.name === name) ?? false;
}

/** Resolves once no context holds `name` (the worker that held it is gone), or after `limitMs` at the latest. */
export async function lifetimeLockReleased(name: string, limitMs: number): Promise<void> {
  const manager = locks();
  if (!manager) return;
  const gone = new AbortController();
  const timer = setTimeout(() => gone.abort(), limitMs);
  try {
    await manager.request(name, { signal: gone.signal }, () => undefined);
  } catch {
    // Still held after limitMs: go on rather than hang the episode.
  } finally {
    clearTimeout(timer);
  }
}
