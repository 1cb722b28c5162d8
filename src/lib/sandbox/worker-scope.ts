/**
 * The second wall of the sandbox worker. Model-written code runs inside wasm interpreters (QuickJS, SQLite, the
 * shell) and reaches nothing of the worker's JavaScript scope; should one of them ever leak, the scope itself has
 * nothing left to reach with. The worker's CSP (scripts/lib/csp.ts) blocks connections to any other origin and
 * nested workers; what CSP does not govern goes here: storage (OPFS through `navigator.storage`, IndexedDB, Cache
 * Storage), channels to the page's other contexts (BroadcastChannel, Web Locks) and worker constructors. Runs
 * before any runtime loads.
 */

/** Global names removed from the scope (where they exist). */
export const REMOVED_GLOBALS = ['indexedDB', 'caches', 'BroadcastChannel', 'Worker', 'SharedWorker', 'WebSocket', 'WebTransport', 'EventSource'] as const;
/** Properties removed from `navigator`. */
export const REMOVED_NAVIGATOR = ['storage', 'locks', 'serviceWorker'] as const;

/** Deletes `name` wherever `target`'s prototype chain defines it; returns whether it is gone. */
function remove(target: object, name: string): boolean {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o)) {
    if (Object.prototype.hasOwnProperty.call(o, name)) Reflect.deleteProperty(o, name);
  }
  return !(name in target);
}

/** Removes the APIs above from `scope`; returns the names that could not be removed (none in a browser worker). */
export function lockDownWorkerScope(scope: object = globalThis): string[] {
  const left: string[] = REMOVED_GLOBALS.filter((name) => !remove(scope, name));
  const navigator = (scope as { navigator?: object }).navigator;
  if (navigator) left.push(...REMOVED_NAVIGATOR.filter((name) => !remove(navigator, name)).map((name) => `navigator.${name}`));
  return left;
}
