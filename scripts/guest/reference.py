#!/usr/bin/env python3
"""What real bash prints for the AgentBench OS dev tasks' solutions, made once on the dev machine.

For each task: a fresh copy of the guest's unpacked i386 tree (the x86_64 kernel runs i386 binaries) on a
tmpfs, as root in /; the task's init scripts run as `bash -c` / `python3 -c` (AgentBench's execute_independent),
its start script and then the solution are typed into an interactive `bash --login` on a pty of Docker's default
size with the guest's session set-up (no echo, markers around prompts; see session-setup.ts), and the output up
to the sentinel is kept, prompts and escape codes removed, CRLF as LF: what the VM runtime returns.

    python3 scripts/guest/reference.py .cache/guest/<key>/rootfs tests/fixtures/agentbench/os_interaction \\
        src/lib/tasks/os/agentbench-dev.json > tests/fixtures/agentbench/os_interaction/reference-outputs.json

(the solutions are the `solution` of each task there: the example script, or the project's own for the match
problems that ship none).
"""
import json, os, pty, re, select, shutil, subprocess, sys, tempfile, time

rootfs, fixture, solutions_path = sys.argv[1:4]
solutions = {str(t['index']): t['solution'] for t in json.load(open(solutions_path))['tasks']}
dev = json.load(open(os.path.join(fixture, 'data/dev.json')))
EXEC_ENV = {'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME': '/root'}
# The same set-up line the runtime types, from its own module.
setup_line = subprocess.run(['npx', 'tsx', '-e', "import { SESSION_SETUP } from './src/lib/runtimes/v86/session-setup.ts'; process.stdout.write(SESSION_SETUP)"],
                            check=True, capture_output=True, text=True).stdout
ESC = re.compile(rb'\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]')
PROMPT = re.compile(rb'\x1b\]6973;P\x07.*?\x1b\]6973;Q\x07', re.S)


def script(obj):
    if obj is None:
        return None
    if isinstance(obj, str):
        return 'bash', obj
    lang = obj.get('language', 'bash')
    code = open(os.path.join(fixture, 'scripts/dev', obj['file'])).read() if 'file' in obj else obj['code']
    return lang, code


def independent(root, lang, code):
    cmd = ['bash', '-c', code] if lang == 'bash' else ['python3', '-c', code]
    subprocess.run(['chroot', root, '/usr/bin/env', '-i', *[f'{k}={v}' for k, v in EXEC_ENV.items()], *cmd],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd='/', timeout=120)


def read_until(fd, pattern, limit=120):
    buf, end = b'', time.time() + limit
    while not re.search(pattern, buf):
        r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
        if not r:
            raise TimeoutError(buf[-500:])
        buf += os.read(fd, 65536)
    return buf


def session_run(fd, command, n):
    os.write(fd, (command + '\n').encode() + f' __vm_mark {n}\n'.encode())
    buf = read_until(fd, rb'\x1b\]6973;D;%d;\d+\x07.*?\x1b\]6973;Q\x07' % n)
    body = buf[:buf.index(b'\x1b]6973;D;%d;' % n)]
    return ESC.sub(b'', PROMPT.sub(b'', body)).decode().replace('\r\n', '\n')


out = {}
for i, item in enumerate(dev):
    sol = solutions.get(str(i))
    if sol is None:
        continue
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(['mount', '-t', 'tmpfs', 'tmpfs', tmp], check=True)
        try:
            root = os.path.join(tmp, 'r')
            shutil.copytree(rootfs, root, symlinks=True)
            for fs, where in [('proc', 'proc'), ('devtmpfs', 'dev')]:
                subprocess.run(['mount', '-t', fs, fs, os.path.join(root, where)], check=True)
            subprocess.run(['mount', '-t', 'devpts', 'devpts', os.path.join(root, 'dev/pts'), '-o', 'newinstance'], check=False)
            create = item.get('create') if isinstance(item.get('create'), dict) else {}
            inits = create.get('init', [])
            for s in (inits if isinstance(inits, list) else [inits]):
                independent(root, *script(s))
            pid, fd = pty.fork()
            if pid == 0:
                os.chroot(root)
                os.chdir('/')
                os.execve('/bin/bash', ['bash', '--login'],
                          {**EXEC_ENV, 'TERM': 'xterm', 'HOSTNAME': 'a6f1c0e4d2b9'})
            import fcntl, struct, termios
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
            read_until(fd, rb'# ')
            os.write(fd, (setup_line + '\n').encode())
            session_run(fd, '', 1)
            if 'start' in item:
                session_run(fd, script(item['start'])[1], 2)
            out[str(i)] = session_run(fd, sol, 3)
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        finally:
            subprocess.run(['umount', '-R', '-l', tmp], check=False)
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
