/**
 * The sandbox through its real seam: SandboxClient -> Comlink -> a worker thread hosting the
 * environments (the same host code the browser worker runs), with the watchdog live. The OS environment's
 * cases (no network device, a command past the limit, the watchdog over the Linux guest) are in os-vm.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SandboxClient } from '../../src/lib/sandbox/client';
import { spawnNodeSandboxWorker } from '../../src/lib/sandbox/node/spawn';
import { TRUNCATION_MARKER } from '../../src/lib/runtimes/output';
import { envModule as toolsModule } from '../../src/lib/tasks/tools/index';
import { envModule as dbModule } from '../../src/lib/tasks/db/index';
import type { EnvId } from '../../src/lib/tasks/types';

// Worker start-up (tsx) takes about a second; time-limit cases run to their limits.
vi.setConfig({ testTimeout: 60_000 });

const clients: SandboxClient[] = [];
function client(env: EnvId, stepTimeoutMs?: number): SandboxClient {
  const c = new SandboxClient(env, { spawn: spawnNodeSandboxWorker, stepTimeoutMs });
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
});

const js = (code: string) => ({ type: 'tool' as const, name: 'JavaScript', args: { code } });
const sql = (args: string) => ({ type: 'tool' as const, name: 'sql', args });

describe('isolation: model-written code cannot reach the host', () => {
  it('JavaScript (QuickJS): browser and worker APIs are absent; loops, memory and output are bounded; the next step works', async () => {
    const sb = client('tools');
    await sb.reset(toolsModule.tasks.find((t) => t.id === 'tools-fibonacci')!);
    const cases: [string, RegExp][] = [
      ['fetch("https://example.com")', /ReferenceError: 'fetch' is not defined/],
      ['new XMLHttpRequest()', /ReferenceError: 'XMLHttpRequest' is not defined/],
      ['new WebSocket("wss://example.com")', /ReferenceError: 'WebSocket' is not defined/],
      ['importScripts("https://example.com/x.js")', /ReferenceError: 'importScripts' is not defined/],
      ['indexedDB.open("x")', /ReferenceError: 'indexedDB' is not defined/],
      ['caches.open("x")', /ReferenceError: 'caches' is not defined/],
      ['postMessage("hi")', /ReferenceError: 'postMessage' is not defined/],
      ['require("fs")', /ReferenceError: 'require' is not defined/],
      ['while (true) {}', /InternalError: interrupted/],
      ['const a = new Uint8Array(100 * 1024 * 1024); a.length', /out of memory|RangeError/],
      ['"x".repeat(100 * 1024 * 1024).length', /out of memory/],
    ];
    for (const [code, expected] of cases) {
      const r = await sb.step(js(code));
      expect(r.observation, code).toMatch(expected);
      expect(r.done).toBe(false);
      expect((await sb.step(js('6 * 7'))).observation, `step after ${code}`).toBe('42');
    }
    // 10 MB of output in one string and in many lines: cut, with a visible marker.
    for (const code of ['console.log("y".repeat(10 * 1024 * 1024))', 'for (let i = 0; i < 1e6; i++) console.log("0123456789")']) {
      const r = await sb.step(js(code));
      expect(r.observation.length, code).toBeLessThan(20_000);
      expect(r.observation, code).toContain(TRUNCATION_MARKER);
      expect((await sb.step(js('6 * 7'))).observation).toBe('42');
    }
    expect(sb.restarts).toBe(0);
  });

  it('SQL (sql.js): no extensions, no host files, a 100 MB allocation fails; the next step works', async () => {
    const sb = client('db');
    await sb.reset(dbModule.tasks.find((t) => t.id === 'db-04')!);
    const cases: [string, RegExp][] = [
      // MySQL's words for a function it does not have (mysql-errors.ts): AgentBench's server had no load_extension either.
      ["SELECT load_extension('/usr/lib/x.so')", /^1305 \(42000\): FUNCTION skyscrapers_in_Columbus\.load_extension does not exist$/],
      ["ATTACH DATABASE '/etc/passwd' AS p", /unable to open database/],
      ['SELECT length(randomblob(100 * 1024 * 1024))', /out of memory/],
    ];
    for (const [query, expected] of cases) {
      expect((await sb.step(sql(query))).observation, query).toMatch(expected);
      expect((await sb.step(sql("SELECT Floors FROM skyscrapers_in_Columbus WHERE Name = 'Capitol Square'"))).observation).toBe("[('26',)]");
    }
  });
});

describe('watchdog: a step that hangs the worker', () => {
  it('SQL that never finishes (a synchronous wasm loop): timeout observation, fresh worker, state restored, next step works', async () => {
    const sb = client('db', 1000);
    const task = dbModule.tasks.find((t) => t.id === 'db-04')!; // skyscrapers_in_Columbus
    await sb.reset(task);
    await sb.step(sql("INSERT INTO skyscrapers_in_Columbus (Name, Floors) VALUES ('Watchdog Tower', '99')"));
    const hung = await sb.step(sql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c'));
    expect(hung).toEqual({
      observation: 'Timeout: the action ran longer than 1 s and was stopped. The environment is back in its state before the action.',
      done: false,
      reward: 0,
    });
    expect(sb.restarts).toBe(1);
    const after = await sb.step(sql("SELECT Floors FROM skyscrapers_in_Columbus WHERE Name = 'Watchdog Tower'"));
    expect(after.observation).toBe("[('99',)]");
    expect((await sb.step({ type: 'final', answer: ['26'] })).reward).toBe(1);
  });

  it('a restore brings back random and time-based results as the model saw them (SQL)', async () => {
    const sb = client('db', 1000);
    await sb.reset(dbModule.tasks.find((t) => t.id === 'db-04')!);
    const seen = (await sb.step(sql("CREATE TABLE r AS SELECT random() AS x, hex(randomblob(8)) AS y, datetime('now') AS t"))).observation;
    expect(seen).toBe('[]');
    const before = (await sb.step(sql('SELECT * FROM r'))).observation;
    const hung = await sb.step(sql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c'));
    expect(hung.observation).toBe('Timeout: the action ran longer than 1 s and was stopped. The environment is back in its state before the action.');
    expect((await sb.step(sql('SELECT * FROM r'))).observation).toBe(before);
  });

  it('a replaced worker is gone before its replacement starts', async () => {
    const events: string[] = [];
    let n = 0;
    const sb = new SandboxClient('db', {
      stepTimeoutMs: 1000,
      spawn: () => {
        const id = ++n;
        events.push(`spawn ${id}`);
        const handle = spawnNodeSandboxWorker();
        return {
          endpoint: handle.endpoint,
          terminate: async () => {
            events.push(`terminate ${id}`);
            await handle.terminate();
            // A slow exit: the replacement must still wait for it.
            await new Promise((r) => setTimeout(r, 300));
            events.push(`gone ${id}`);
          },
        };
      },
    });
    clients.push(sb);
    await sb.reset(dbModule.tasks.find((t) => t.id === 'db-04')!);
    await sb.step(sql('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c'));
    expect(events).toEqual(['spawn 1', 'terminate 1', 'gone 1', 'spawn 2']);
  });

  it('a task of another environment is refused with a clear message', async () => {
    const sb = client('os');
    await expect(sb.reset(dbModule.tasks[0])).rejects.toThrow(/belongs to the "db" environment, not "os"/);
  });
});
