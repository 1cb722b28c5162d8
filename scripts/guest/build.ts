/**
 * Builds the OS tasks' guest from Debian i386 packages (`apt-get download` + `dpkg-deb -x`, no maintainer
 * scripts, no other downloads): the userland as a newc initramfs, Debian's own 686 kernel, SeaBIOS; boots it
 * once in v86 (Node) and saves the machine state every task restores. Everything lands in
 * `.cache/guest/<key>/`, keyed by the package list and the build's own sources, so a second build is free;
 * `public/vm/` gets the files the app serves.
 *
 * Needs the i386 architecture in apt (`dpkg --add-architecture i386 && apt-get update`, .ci/run does it),
 * root (the tree keeps its owners and setuid bits), and `cpio`.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ARCH_ALL_PACKAGES, BIOS_PACKAGE, GUEST_PACKAGES, KERNEL_PACKAGE, PRUNED_PATHS } from './packages.ts';
import { mergeUsr, writeBaseSystem } from './rootfs.ts';
import { bootAndSave, GUEST_CMDLINE, GUEST_MEMORY_BYTES } from './boot.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

export interface GuestManifest {
  key: string;
  memoryBytes: number;
  /** Files in public/vm/ (names carry the key, so a new guest never meets an old cache entry). */
  files: { state: string; bios: string; vgaBios: string };
  sizes: Record<string, number>;
  packages: string[];
  kernel: string;
  bootSeconds: number;
}

function run(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

function guestKey(): string {
  const h = createHash('sha256');
  for (const f of ['packages.ts', 'rootfs.ts', 'build.ts', 'boot.ts', '../../src/lib/runtimes/v86/session-setup.ts']) h.update(readFileSync(join(here, f)));
  h.update(JSON.parse(readFileSync(join(repo, 'node_modules/v86/package.json'), 'utf8')).version);
  return h.digest('hex').slice(0, 16);
}

function checkHost(): void {
  const foreign = run('dpkg', ['--print-foreign-architectures']).split('\n');
  if (!foreign.includes('i386')) {
    throw new Error('the guest is built from i386 packages: run `dpkg --add-architecture i386 && apt-get update` (as root) first');
  }
  for (const tool of ['apt-get', 'dpkg-deb', 'cpio']) {
    try {
      run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`the guest build needs ${tool} (apt-get install ${tool === 'cpio' ? 'cpio' : 'dpkg'})`);
    }
  }
}

/** Downloads the packages (apt-get reuses what is already there) and returns the .deb paths. */
function download(dir: string, names: string[]): string[] {
  mkdirSync(dir, { recursive: true });
  const missing = names.filter((n) => !readdirSync(dir).some((f) => f.startsWith(`${n}_`)));
  if (missing.length) run('apt-get', ['download', '-q', ...missing.map((n) => (ARCH_ALL_PACKAGES.has(n) ? n : `${n}:i386`))], dir);
  return names.map((n) => {
    const deb = readdirSync(dir).find((f) => f.startsWith(`${n}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`guest: apt-get download gave no .deb for ${n}`);
    return join(dir, deb);
  });
}

function buildRootfs(debs: string[], root: string): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  for (const deb of debs) run('dpkg-deb', ['-x', deb, root]);
  for (const p of PRUNED_PATHS) rmSync(join(root, p), { recursive: true, force: true });
  mergeUsr(root);
  writeBaseSystem(root);
  // libc-bin's trigger: the loader's cache of the multiarch library folders.
  run('chroot', [root, '/usr/sbin/ldconfig']);
  // python3's postinst byte-compiles the standard library; without it every python3 start in the emulator
  // compiles its imports from source (tens of seconds). Hash-checked .pyc files keep the tree reproducible.
  run('chroot', [root, '/usr/bin/python3', '-m', 'compileall', '-q', '--invalidation-mode', 'unchecked-hash', '/usr/lib/python3.11']);
}

/** Every tool the tasks lean on must start in the tree (a missing library shows up here, not in a task). */
function smokeTest(root: string): void {
  const probe = [
    'bash --version', 'ls -l /', 'id', 'getent group sudo', 'ps aux', 'python3 -c "import json, re, os, subprocess; print(1)"',
    'useradd --help', 'usermod --help', 'groupadd --help', 'su --help', 'awk --version', 'sed --version', 'grep --version',
    'find --version', 'tree --version', 'zip -v', 'unzip -v', 'vim.tiny --version', 'file /usr/bin/ls', 'diff --version',
    'du -b /etc', 'stat --format=%a /tmp', 'nproc', 'free', 'df --version', 'date -d yesterday', 'xargs --version', 'bc --version',
    'tar --version', 'mount --version', 'gzip --version', 'less --version', 'which ls', 'hostname', 'killall --version', 'setsid --version',
  ];
  run('mount', ['-t', 'proc', 'proc', join(root, 'proc')]);
  try {
    for (const cmd of probe) smoke(root, cmd);
  } finally {
    run('umount', [join(root, 'proc')]);
  }
}

function smoke(root: string, cmd: string): void {
  {
    try {
      run('chroot', [root, '/usr/bin/env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '/usr/bin/bash', '-c', `${cmd} >/dev/null`]);
    } catch (e) {
      throw new Error(`guest: \`${cmd}\` fails in the unpacked tree: ${(e as { stderr?: string }).stderr ?? (e as Error).message}`);
    }
  }
}

function cpioGz(root: string, out: string): void {
  // Sorted names, root owner and zero mtimes: the same tree gives the same archive.
  execFileSync('sh', ['-c', `find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -9n > ${JSON.stringify(out)}`], { cwd: root });
}

export async function ensureGuest(log: (line: string) => void = console.log): Promise<GuestManifest> {
  const key = guestKey();
  const cache = resolve(process.env.AGENT_FLAN_GUEST_CACHE ?? join(repo, '.cache/guest'));
  const dir = join(cache, key);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    checkHost();
    mkdirSync(dir, { recursive: true });
    const started = Date.now();
    log(`guest: downloading ${GUEST_PACKAGES.length} packages, the kernel and the BIOS (i386)`);
    const debDir = join(cache, 'debs');
    const debs = download(debDir, GUEST_PACKAGES);
    const kernelPkg = run('apt-cache', ['depends', `${KERNEL_PACKAGE}:i386`]).match(/Depends: (linux-image-[^:\s]+)/)?.[1];
    if (!kernelPkg) throw new Error(`guest: apt-cache names no kernel behind ${KERNEL_PACKAGE}:i386`);
    const [kernelDeb] = download(debDir, [kernelPkg]);
    const [biosDeb] = download(debDir, [BIOS_PACKAGE]);
    const root = join(dir, 'rootfs');
    buildRootfs(debs, root);
    smokeTest(root);
    const initrd = join(dir, 'initrd.cpio.gz');
    cpioGz(root, initrd);
    const extract = join(dir, 'extract');
    rmSync(extract, { recursive: true, force: true });
    run('dpkg-deb', ['-x', kernelDeb, extract]);
    run('dpkg-deb', ['-x', biosDeb, extract]);
    const vmlinuz = readdirSync(join(extract, 'boot')).find((f) => f.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new Error(`guest: ${kernelPkg} has no boot/vmlinuz-*`);
    copyFileSync(join(extract, 'boot', vmlinuz), join(dir, 'vmlinuz'));
    copyFileSync(join(extract, 'usr/share/seabios/bios.bin'), join(dir, 'bios.bin'));
    copyFileSync(join(extract, 'usr/share/seabios/vgabios-stdvga.bin'), join(dir, 'vgabios.bin'));
    rmSync(extract, { recursive: true, force: true });
    log(`guest: tree unpacked and checked, initramfs ${(statSync(initrd).size / 1e6).toFixed(1)} MB; booting it in v86`);
    const bootStarted = Date.now();
    const state = await bootAndSave({
      kernel: readFileSync(join(dir, 'vmlinuz')),
      initrd: readFileSync(initrd),
      bios: readFileSync(join(dir, 'bios.bin')),
      vgaBios: readFileSync(join(dir, 'vgabios.bin')),
      cmdline: GUEST_CMDLINE,
      memoryBytes: GUEST_MEMORY_BYTES,
      log,
    });
    const bootSeconds = (Date.now() - bootStarted) / 1000;
    writeFileSync(join(dir, 'state.bin.gz'), gzipSync(state, { level: 9 }));
    const versions = debs.map((d) => d.split('/').pop()!.replace(/\.deb$/, ''));
    const manifest: GuestManifest = {
      key,
      memoryBytes: GUEST_MEMORY_BYTES,
      files: { state: `state-${key}.bin.gz`, bios: `bios-${key}.bin`, vgaBios: `vgabios-${key}.bin` },
      sizes: {},
      packages: versions,
      kernel: kernelDeb.split('/').pop()!.replace(/\.deb$/, ''),
      bootSeconds,
    };
    for (const [name, file] of [['state', 'state.bin.gz'], ['bios', 'bios.bin'], ['vgaBios', 'vgabios.bin'], ['initrd', 'initrd.cpio.gz'], ['kernel', 'vmlinuz']]) {
      manifest.sizes[name] = statSync(join(dir, file)).size;
    }
    manifest.sizes.stateUncompressed = state.byteLength;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    log(`guest: built in ${((Date.now() - started) / 1000).toFixed(0)} s (boot ${bootSeconds.toFixed(1)} s), state ${(manifest.sizes.state / 1e6).toFixed(1)} MB gzip`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as GuestManifest;
  publish(dir, manifest);
  return manifest;
}

/** Copies the served files into public/vm/ (git-ignored, like public/models/), dropping older guests. */
function publish(dir: string, manifest: GuestManifest): void {
  const out = join(repo, 'public/vm');
  mkdirSync(out, { recursive: true });
  const wanted = new Set([...Object.values(manifest.files), 'manifest.json']);
  for (const f of readdirSync(out)) if (!wanted.has(f)) rmSync(join(out, f), { force: true });
  const copies: [string, string][] = [['state.bin.gz', manifest.files.state], ['bios.bin', manifest.files.bios], ['vgabios.bin', manifest.files.vgaBios]];
  for (const [from, to] of copies) if (!existsSync(join(out, to))) copyFileSync(join(dir, from), join(out, to));
  const served = { key: manifest.key, memoryBytes: manifest.memoryBytes, files: manifest.files };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(served, null, 2)}\n`);
}
