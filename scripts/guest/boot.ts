/** Boots the freshly built guest once in v86 (Node), sets up its login shell and saves the machine state. */
import { VmMachine, toSerialBytes } from '../../src/lib/runtimes/v86/machine.ts';
import { ShellSession } from '../../src/lib/runtimes/v86/session.ts';
import { SESSION_SETUP } from '../../src/lib/runtimes/v86/session-setup.ts';
import { arrayBuffer as buffer, loadV86Wasm } from '../../src/lib/runtimes/v86/assets-node.ts';
import { GUEST_HOSTNAME } from './rootfs.ts';

export const GUEST_CMDLINE = 'console=ttyS0 rdinit=/init quiet loglevel=1 tsc=reliable mitigations=off random.trust_cpu=on';
export const GUEST_MEMORY_BYTES = 256 * 1024 * 1024;
const BOOT_TIMEOUT_MS = 900_000;


export async function bootAndSave(image: {
  kernel: Buffer; initrd: Buffer; bios: Buffer; vgaBios: Buffer; cmdline: string; memoryBytes: number; log: (l: string) => void;
}): Promise<ArrayBuffer> {
  const machine = await VmMachine.boot({
    wasm: await loadV86Wasm(),
    kernel: buffer(image.kernel),
    initrd: buffer(image.initrd),
    bios: buffer(image.bios),
    vgaBios: buffer(image.vgaBios),
    cmdline: image.cmdline,
    memoryBytes: image.memoryBytes,
  });
  try {
    let console = '';
    const stop = machine.onSerialByte((b) => (console += String.fromCharCode(b)));
    const prompt = `root@${GUEST_HOSTNAME}:/# `;
    const started = Date.now();
    while (!console.includes(prompt)) {
      if (Date.now() - started > BOOT_TIMEOUT_MS) throw new Error(`guest: no shell prompt after ${BOOT_TIMEOUT_MS / 1000} s; console:\n${console.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    stop();
    image.log(`guest: shell prompt after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    machine.sendBytes(toSerialBytes(`${SESSION_SETUP}\n`));
    const session = new ShellSession(machine);
    if (!(await session.sync(30_000))) throw new Error('guest: the shell did not answer after its set-up');
    // Free pages keep whatever they held (the unpacked initramfs archive, for one); filling a tmpfs with zeros
    // and freeing it leaves them zero, so the saved state compresses to little more than the files it holds.
    const zero = await session.run(
      ' sync; echo 3 > /proc/sys/vm/drop_caches; mkdir -p /run/z && mount -t tmpfs -o size=$(( $(awk \'/MemAvailable/{print $2}\' /proc/meminfo) - 12288 ))k z /run/z && { cat /dev/zero > /run/z/f 2>/dev/null; rm -f /run/z/f; umount /run/z; rmdir /run/z; }; echo 3 > /proc/sys/vm/drop_caches; clear_done=1',
      120_000,
    );
    if (zero.timedOut || zero.status !== 0) throw new Error(`guest: zeroing free memory failed: ${zero.output}`);
    const check = await session.run(' unset clear_done; whoami; pwd', 30_000);
    if (check.output !== 'root\n/\n') throw new Error(`guest: the shell is not root in /: ${JSON.stringify(check.output)}`);
    session.dispose();
    return await machine.saveState();
  } finally {
    await machine.destroy();
  }
}
