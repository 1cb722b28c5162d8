/**
 * One writer per model at a time, across tabs and workers, through the Web Locks API: a second
 * download of the same model waits and then finds the files verified; a delete waits for a download.
 */

/** The part of the Web Locks API (`navigator.locks`) used here. */
export interface LockManagerLike {
  request<T>(name: string, options: { signal?: AbortSignal }, callback: () => Promise<T>): Promise<T>;
}

export function browserLocks(): LockManagerLike | null {
  return typeof navigator !== 'undefined' && typeof navigator.locks?.request === 'function' ? navigator.locks : null;
}

/** Runs `task` holding the model's lock; without a lock manager (Node) it just runs it. */
export function withModelLock<T>(
  modelId: string,
  task: () => Promise<T>,
  options: { locks?: LockManagerLike | null; signal?: AbortSignal } = {},
): Promise<T> {
  const locks = options.locks === undefined ? browserLocks() : options.locks;
  if (!locks) return task();
  return locks.request(`agent-flan-web:model-store:${modelId}`, { signal: options.signal }, task);
}
