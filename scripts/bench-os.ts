/**
 * `npm run bench:os [-- --boot] [-- --dev]`: the OS tasks' Linux guest in v86 (Node), against the issue's targets.
 * Prints the guest's asset sizes (compressed), reading + gunzipping the state, restoring it to an answering prompt,
 * the first command, per-command overhead (median of `true`), a reset (restore of the booted state), and with
 * `--boot` a cold boot of the kernel and initramfs from .cache/guest/ (the guest build's own figure otherwise),
 * with `--dev` the replay time of the 26 AgentBench dev tasks (reset, example solution, check chain). The browser's
 * ready-to-first-command is not measured here. Numbers on a shared machine are noise: say so when quoting them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MISSING_GUEST, type VmManifest } from '../src/lib/runtimes/v86/assets';
import { arrayBuffer, loadV86Wasm, loadVmAssetsFromDisk, useVmAssetsFromDisk } from '../src/lib/runtimes/v86/assets-node';
import { VmMachine } from '../src/lib/runtimes/v86/machine';
import { VmShell } from '../src/lib/runtimes/v86/vm-shell';
import { agentBenchDev, devTaskId, devTasks } from '../src/lib/tasks/os/dev-tasks';
import { OsVmEnvironment } from '../src/lib/tasks/os/vm-env';
import { median } from './lib/stats';

const { values } = parseArgs({ options: { boot: { type: 'boolean' }, dev: { type: 'boolean' } } });
const repo = resolve(import.meta.dirname, '..');
const vm = join(repo, 'public/vm');
if (!existsSync(join(vm, 'manifest.json'))) {
  console.error(`bench:os: ${MISSING_GUEST}`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(join(vm, 'manifest.json'), 'utf8')) as VmManifest;
const wasmPath = createRequire(import.meta.url).resolve('v86/build/v86.wasm');
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
};

const sizes = { state: statSync(join(vm, manifest.files.state)).size, bios: statSync(join(vm, manifest.files.bios)).size, vgaBios: statSync(join(vm, manifest.files.vgaBios)).size, wasm: statSync(wasmPath).size };
const total = Object.values(sizes).reduce((a, b) => a + b, 0);
console.log(`guest ${manifest.key}: assets ${mb(total)} (state ${mb(sizes.state)} gzip, BIOS ${mb(sizes.bios)}, VGA BIOS ${mb(sizes.vgaBios)}, v86.wasm ${mb(sizes.wasm)} uncompressed; target <= 40 MB)`);

const [assets, loadMs] = await time(() => loadVmAssetsFromDisk(vm));
console.log(`read + gunzip the state (${mb(assets.state.byteLength)} raw) + compile v86.wasm: ${s(loadMs)}`);
const [shell, restoreMs] = await time(() => VmShell.start(assets));
const [, firstMs] = await time(() => shell.run('true'));
console.log(`restore to an answering prompt: ${s(restoreMs)}; first command: ${s(firstMs)} (target: first command <= 3 s after the ask)`);
const overhead: number[] = [];
for (let i = 0; i < 20; i++) overhead.push((await time(() => shell.run('true')))[1]);
console.log(`per-command overhead (median of 20 \`true\`): ${median(overhead).toFixed(0)} ms (target <= 100 ms)`);
const resets: number[] = [];
for (let i = 0; i < 3; i++) resets.push((await time(() => shell.reset()))[1]);
console.log(`reset (restore the booted state, prompt answering): median of 3 ${s(median(resets))} (target <= 1 s)`);
await shell.destroy();

const cache = join(repo, '.cache/guest', manifest.key);
if (values.boot && existsSync(join(cache, 'initrd.cpio.gz'))) {
  const { GUEST_CMDLINE } = await import('./guest/boot.ts');
  const started = performance.now();
  const machine = await VmMachine.boot({
    wasm: await loadV86Wasm(),
    bios: arrayBuffer(readFileSync(join(cache, 'bios.bin'))),
    vgaBios: arrayBuffer(readFileSync(join(cache, 'vgabios.bin'))),
    kernel: arrayBuffer(readFileSync(join(cache, 'vmlinuz'))),
    initrd: arrayBuffer(readFileSync(join(cache, 'initrd.cpio.gz'))),
    cmdline: GUEST_CMDLINE,
    memoryBytes: manifest.memoryBytes,
  });
  let console_ = '';
  const stop = machine.onSerialByte((b) => (console_ += String.fromCharCode(b)));
  while (!console_.includes('# ')) await new Promise((r) => setTimeout(r, 100));
  stop();
  await machine.destroy();
  console.log(`cold boot to a shell prompt: ${s(performance.now() - started)}`);
} else {
  const built = existsSync(join(cache, 'manifest.json')) ? (JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8')) as { bootSeconds: number }).bootSeconds : undefined;
  console.log(`cold boot: ${built === undefined ? 'not measured' : `${built.toFixed(1)} s to the saved state in the guest build (boot, set-up, zeroing memory)`}; --boot measures it`);
}

if (values.dev) {
  useVmAssetsFromDisk();
  const env = new OsVmEnvironment({ commandLimitMs: 180_000 });
  const started = performance.now();
  let passed = 0;
  for (const t of agentBenchDev.tasks) {
    const t0 = performance.now();
    await env.reset(devTasks.find((d) => d.id === devTaskId(t.index))!);
    const run = await env.step({ type: 'tool', name: 'bash', args: t.solution });
    const answer = t.answer === undefined ? run.observation.trim() : t.answer;
    const result = await env.step(answer === null ? { type: 'finish' } : { type: 'final', answer });
    passed += result.reward;
    console.log(`  dev #${t.index}: reward ${result.reward}, ${s(performance.now() - t0)}`);
  }
  await env.dispose();
  console.log(`26 dev tasks (reset + example solution + check chain): ${s(performance.now() - started)}, ${passed} reward 1`);
}
console.log('(figures from this run only; on a shared machine they are noise, not the unloaded speed)');
