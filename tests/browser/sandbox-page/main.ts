/**
 * A page that drives the real sandbox worker as the app does (Vite-bundled worker, wasm from `?url`
 * assets) and publishes what each step returned on `window.__sandboxResult`. The OS part runs AgentBench dev #6's
 * example solution on the Linux guest when the page's `vm/` has it, and otherwise reports the worker's message.
 */
import { SandboxClient } from '../../../src/lib/sandbox/client';
import { toolsTasks } from '../../../src/lib/tasks/tools/tasks';
import { agentBenchDev, devTaskId, devTasks } from '../../../src/lib/tasks/os/dev-tasks';
import type { Action, TaskSpec } from '../../../src/lib/tasks/types';

const js = (code: string): Action => ({ type: 'tool', name: 'JavaScript', args: { code } });
const find = <T extends TaskSpec>(tasks: T[], id: string) => tasks.find((t) => t.id === id)!;

async function run(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const tools = new SandboxClient('tools');
  await tools.reset(find(toolsTasks, 'tools-fibonacci'));
  out.js = (await tools.step(js('6 * 7'))).observation;
  for (const api of ['fetch("/")', 'new XMLHttpRequest()', 'indexedDB', 'caches', 'postMessage(1)', 'importScripts("x.js")', 'document']) {
    out[api] = (await tools.step(js(api))).observation;
  }
  await tools.reset(find(toolsTasks, 'tools-old-books'));
  out.sql = (await tools.step({ type: 'tool', name: 'SQL', args: { query: 'SELECT COUNT(*) FROM books' } })).observation;
  tools.dispose();

  const os = new SandboxClient('os');
  const dev6 = agentBenchDev.tasks[6];
  try {
    const asked = performance.now();
    await os.reset(find(devTasks, devTaskId(6)));
    out.bash = (await os.step({ type: 'tool', name: 'bash', args: dev6.solution })).observation;
    // What `npm run bench:os` cannot measure in Node: the page asks, the worker fetches and restores the guest.
    out.osFirstCommandMs = String(Math.round(performance.now() - asked));
    out.osReward = String((await os.step({ type: 'final', answer: dev6.answer! })).reward);
  } catch (e) {
    out.osError = e instanceof Error ? e.message : String(e);
  }
  os.dispose();

  const hung = new SandboxClient('tools', { stepTimeoutMs: 300 });
  await hung.reset(find(toolsTasks, 'tools-fibonacci'));
  out.hang = (await hung.step(js('while (true) {}'))).observation;
  out.afterHang = (await hung.step(js('1 + 1'))).observation;
  out.restarts = String(hung.restarts);
  hung.dispose();
  return out;
}

run().then(
  (result) => Object.assign(window, { __sandboxResult: result }),
  (e) => Object.assign(window, { __sandboxResult: { error: String(e) } }),
);
