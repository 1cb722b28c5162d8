/**
 * The gallery's AgentBench OS dev tasks (`src/lib/tasks/os/agentbench-dev.json`), built from the fixture
 * `tests/fixtures/agentbench/os_interaction/` as AgentBench ships it (problems with their `file:` scripts resolved
 * by the harness's rules) plus, per task, the solution "Watch the expert" types and the answer it gives.
 * Shared by `npm run catalog` and its drift test.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAgentBenchOsFile, type AgentBenchOsProblem } from '../../src/lib/tasks/os/agentbench.ts';
import type { AgentBenchDevTasks } from '../../src/lib/tasks/os/dev-tasks.ts';

const fixture = resolve(import.meta.dirname, '../../tests/fixtures/agentbench/os_interaction');

/** Ours where a match problem ships no example (#24's top-level example assumes jack's home as the cwd). */
const OWN_SOLUTIONS: Record<number, string> = {
  // The writer started in the background may not have written yet (python3 takes seconds to start in the emulator):
  // wait for the file, then time two writes.
  0: "python3 -c \"import os,time\ng=lambda:os.path.getsize('/root/log') if os.path.exists('/root/log') else -1\nwhile g()<=0: time.sleep(0.05)\ns=g()\nwhile g()==s: time.sleep(0.05)\nt=time.time();s=g()\nwhile g()==s: time.sleep(0.05)\nprint(round(time.time()-t))\"",
  // Watch /root until a file's size changes, and name it.
  1: "python3 -c \"import os,time\nf=lambda:{os.path.join(d,n):os.path.getsize(os.path.join(d,n)) for d,_,ns in os.walk('/root') for n in ns}\na=f();c=[]\nwhile not c: time.sleep(0.5);b=f();c=sorted(os.path.basename(k) for k in b if b[k]!=a.get(k))\nprint(*c)\"",
  24: "chmod 777 /home/jack/test && su - jack -c '~/test'",
};
OWN_SOLUTIONS[2] = OWN_SOLUTIONS[1];
OWN_SOLUTIONS[4] = OWN_SOLUTIONS[0];

/**
 * What the guest prints for the example where it is the machine's own (real bash in a chroot printed the dev
 * machine's CPU count and thread limit): v86 emulates one CPU, and the kernel sizes threads-max by the guest's 256 MB.
 */
const GUEST_ANSWERS: Record<number, string> = { 13: '1', 23: '3037' };

/**
 * No expert: #8's check (size-match.py) cannot pass on its own example (`du -sh` prints "4.0K", int("4.0") raises,
 * in AgentBench too); #25's log is drawn from bash's $RANDOM in its init, so its count differs per episode.
 */
const NO_EXPERT = new Set([8, 25]);

function title(i: number, description: string): string {
  const first = description.split('\n')[0];
  const short = first.length > 90 ? `${first.slice(0, 87).replace(/\s+\S*$/, '')}...` : first;
  return `AgentBench dev #${i}: ${short}`;
}

/** The answer the expert gives: the match string, the example's output for a check chain that starts with it. */
function expertAnswer(i: number, p: AgentBenchOsProblem, reference: Record<string, string>): string | null {
  const ev = p.evaluation;
  if ('match' in ev) return 'answer' in ev.match ? ev.match.answer : null;
  if (!ev.check.includes(null)) return null;
  if (GUEST_ANSWERS[i] !== undefined) return GUEST_ANSWERS[i];
  // The reference's last line: #21's `find .` from / also printed the chroot host's /proc errors on stderr.
  return reference[i].trim().split('\n').at(-1)!;
}

export function buildDevTasks(): AgentBenchDevTasks {
  const problems = parseAgentBenchOsFile(readFileSync(join(fixture, 'data/dev.json'), 'utf8'), 'dev.json', (p) =>
    readFileSync(join(fixture, 'scripts/dev', p), 'utf8'),
  );
  const reference = JSON.parse(readFileSync(join(fixture, 'reference-outputs.json'), 'utf8')) as Record<string, string>;
  return {
    source: 'THUDM/AgentTuning AgentBench.old data/os_interaction/data/dev.json (commit e33a45d7), Apache-2.0',
    checks: Object.fromEntries(['integer-match.py', 'string-match.py'].map((f) => [f, readFileSync(join(fixture, 'scripts/dev/check', f), 'utf8')])),
    tasks: problems.map((p, i) => {
      const example = 'check' in p.evaluation ? p.evaluation.example : undefined;
      const solution = OWN_SOLUTIONS[i] ?? example?.code;
      if (solution === undefined) throw new Error(`dev #${i} has no example and no solution of ours`);
      return { index: i, title: title(i, p.description), problem: p, solution, ...(NO_EXPERT.has(i) ? {} : { answer: expertAnswer(i, p, reference) }) };
    }),
  };
}
