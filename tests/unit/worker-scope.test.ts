import { expect, test } from 'vitest';
import { REMOVED_GLOBALS, lockDownWorkerScope } from '../../src/lib/sandbox/worker-scope';

test('storage, cross-context channels and worker constructors leave the scope, wherever the prototype chain defines them', () => {
  class ScopeProto {
    get indexedDB() {
      return {};
    }
  }
  class NavigatorProto {
    get storage() {
      return { getDirectory: () => 'opfs' };
    }
    get locks() {
      return {};
    }
    userAgent = 'test';
  }
  const scope = Object.assign(new ScopeProto(), {
    caches: {},
    BroadcastChannel: class {},
    Worker: class {},
    fetch: () => 'kept: the worker CSP governs it',
    navigator: new NavigatorProto(),
  }) as unknown as Record<string, unknown>;
  expect(lockDownWorkerScope(scope)).toEqual([]);
  for (const name of REMOVED_GLOBALS) expect(name in scope, name).toBe(false);
  const navigator = scope.navigator as Record<string, unknown>;
  expect('storage' in navigator).toBe(false);
  expect('locks' in navigator).toBe(false);
  expect(navigator.userAgent).toBe('test');
  expect(typeof scope.fetch).toBe('function');
});

test('what cannot be removed is named', () => {
  const scope = {};
  Object.defineProperty(scope, 'indexedDB', { value: {}, configurable: false });
  expect(lockDownWorkerScope(scope)).toEqual(['indexedDB']);
});
