/**
 * What Debian's maintainer scripts would have written into the unpacked tree (none ran: the packages were
 * only extracted), plus the guest's /init: an Ubuntu-container-like base, so `whoami`, `id`, `getent`,
 * `ls -l /` and `ps aux` answer as AgentBench's Docker container did.
 */
import { chmodSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A container-like host name (Docker names a container's host after its id). */
export const GUEST_HOSTNAME = 'a6f1c0e4d2b9';

/**
 * PID 1: mounts the kernel file systems and keeps a root login shell on the serial console (`setsid -c`
 * makes the port its controlling terminal, so Ctrl-C reaches the foreground job). The terminal is the size
 * Docker gives a tty by default.
 */
const INIT = `#!/bin/bash
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
hostname -F /etc/hostname
# Kernel messages (an OOM kill, say) stay off the console the agent reads.
dmesg -n 1
cd /
while true; do
  env -i PATH="$PATH" HOSTNAME=${GUEST_HOSTNAME} HOME=/root TERM=xterm \\
    setsid -c -w /bin/bash --login </dev/ttyS0 >/dev/ttyS0 2>&1
  sleep 1
done
`;

const NSSWITCH = `passwd:         files
group:          files
shadow:         files
gshadow:        files
hosts:          files
networks:       files
protocols:      files
services:       files
ethers:         files
rpc:            files
netgroup:       files
`;

const PAM_COMMON: Record<string, string> = {
  'common-auth': 'auth\t[success=1 default=ignore]\tpam_unix.so nullok\nauth\trequisite\tpam_deny.so\nauth\trequired\tpam_permit.so\n',
  'common-account': 'account\t[success=1 new_authtok_reqd=done default=ignore]\tpam_unix.so\naccount\trequisite\tpam_deny.so\naccount\trequired\tpam_permit.so\n',
  'common-password': 'password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\npassword\trequisite\tpam_deny.so\npassword\trequired\tpam_permit.so\n',
  'common-session': 'session\t[default=1]\tpam_permit.so\nsession\trequisite\tpam_deny.so\nsession\trequired\tpam_permit.so\nsession\trequired\tpam_unix.so\n',
  'common-session-noninteractive': 'session\t[default=1]\tpam_permit.so\nsession\trequisite\tpam_deny.so\nsession\trequired\tpam_permit.so\nsession\trequired\tpam_unix.so\n',
};

/** Alternatives and links that dpkg's triggers and update-alternatives would have made. */
const LINKS: [string, string][] = [
  ['usr/bin/awk', 'gawk'],
  ['usr/bin/nawk', 'gawk'],
  ['usr/bin/python3', 'python3.11'],
  ['usr/bin/which', 'which.debianutils'],
  ['usr/bin/vi', 'vim.tiny'],
  ['usr/bin/vim', 'vim.tiny'],
  ['usr/bin/editor', 'vim.tiny'],
  ['usr/bin/pager', 'less'],
  ['bin/sh', 'dash'],
];

function write(root: string, path: string, text: string, mode = 0o644): void {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, mode);
}

function link(root: string, path: string, target: string): void {
  const file = join(root, path);
  rmSync(file, { force: true });
  symlinkSync(target, file);
}

/** Debian's merged /usr: /bin, /sbin and /lib become links into /usr (as usrmerge makes them on install). */
export function mergeUsr(root: string): void {
  for (const dir of ['bin', 'sbin', 'lib']) {
    const top = join(root, dir);
    if (existsSync(top) && !lstatSync(top).isSymbolicLink()) {
      mkdirSync(join(root, 'usr', dir), { recursive: true });
      for (const name of readdirSync(top)) {
        const to = join(root, 'usr', dir, name);
        if (existsSync(to) && lstatSync(join(top, name)).isDirectory()) cpSync(join(top, name), to, { recursive: true });
        else renameSync(join(top, name), to);
      }
      rmSync(top, { recursive: true, force: true });
    }
    if (!existsSync(top)) symlinkSync(`usr/${dir}`, top);
  }
}

export function writeBaseSystem(root: string): void {
  const share = join(root, 'usr/share/base-passwd');
  const passwd = readFileSync(join(share, 'passwd.master'), 'utf8').replace(/^([^:]+):\*:/gm, '$1:x:');
  const group = readFileSync(join(share, 'group.master'), 'utf8').replace(/^([^:]+):\*:/gm, '$1:x:');
  write(root, 'etc/passwd', passwd);
  write(root, 'etc/group', group);
  // The day of the last password change is fixed (not the build day), so the tree is reproducible.
  const names = (text: string) => text.split('\n').filter(Boolean).map((l) => l.split(':')[0]);
  write(root, 'etc/shadow', names(passwd).map((n) => `${n}:*:19700:0:99999:7:::\n`).join(''), 0o640);
  write(root, 'etc/gshadow', names(group).map((n) => `${n}:*::\n`).join(''), 0o640);
  write(root, 'etc/hostname', `${GUEST_HOSTNAME}\n`);
  write(root, 'etc/hosts', `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${GUEST_HOSTNAME}\n`);
  write(root, 'etc/nsswitch.conf', NSSWITCH);
  write(root, 'etc/shells', '# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/dash\n/usr/bin/dash\n');
  for (const [name, text] of Object.entries(PAM_COMMON)) write(root, `etc/pam.d/${name}`, text);
  write(root, 'etc/mtab', '');
  link(root, 'etc/mtab', '../proc/self/mounts');
  for (const [path, target] of LINKS) link(root, path, target);
  // base-files' postinst copies the skeleton; Ubuntu's root gets the full skeleton .bashrc (colour prompt off,
  // the xterm title on), which is the prompt AgentBench's harness waits for.
  copyFileSync(join(root, 'etc/skel/.bashrc'), join(root, 'root/.bashrc'));
  copyFileSync(join(root, 'usr/share/base-files/dot.profile'), join(root, 'root/.profile'));
  if (!existsSync(join(root, 'etc/skel/.profile'))) copyFileSync(join(root, 'usr/share/base-files/dot.profile'), join(root, 'etc/skel/.profile'));
  for (const dir of ['home', 'root', 'var/log', 'var/tmp', 'var/mail', 'var/spool', 'var/cache', 'var/lib', 'usr/local/bin', 'mnt', 'opt', 'srv', 'media', 'proc', 'sys', 'dev', 'run']) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  mkdirSync(join(root, 'tmp'), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  chmodSync(join(root, 'var/tmp'), 0o1777);
  chmodSync(join(root, 'root'), 0o700);
  write(root, 'init', INIT, 0o755);
}
