/**
 * The project's own OS task format (`tasks.ts`, and what `npm run replay` takes inline: `description`, `files`,
 * `init`, `evaluation`) as an AgentBench problem, so every OS task runs the same way in the guest: the files and
 * the init commands become one init script, `compare` becomes AgentBench's check chain (the example, then
 * `integer-match.py` or `string-match.py`), and a `check` script gets the answer as `$ANSWER`.
 */
import type { AgentBenchOsProblem } from './agentbench';
import type { OsTaskData } from './tasks';
import { agentBenchDev } from './dev-tasks';

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

export function isInlineTaskData(data: unknown): data is OsTaskData {
  return !!data && typeof data === 'object' && 'files' in data;
}

function filesScript(files: Record<string, string>): string {
  return Object.entries(files)
    .map(([path, content]) => `mkdir -p "$(dirname ${shellQuote(path)})" && printf '%s' ${shellQuote(content)} > ${shellQuote(path)}`)
    .join('\n');
}

export function problemFromInline(data: OsTaskData): AgentBenchOsProblem {
  if (typeof data.description !== 'string' || !data.files || typeof data.files !== 'object' || !data.evaluation) {
    throw new Error('An inline OS task needs "description", "files" (path -> content) and "evaluation".');
  }
  const init = [filesScript(data.files), data.init].filter((s): s is string => !!s).map((code) => ({ language: 'bash' as const, code }));
  const ev = data.evaluation;
  let evaluation: AgentBenchOsProblem['evaluation'];
  if ('match' in ev) evaluation = { match: { answer: ev.match.trim(), strip: true } };
  else if ('compare' in ev) {
    const check = agentBenchDev.checks[ev.compare === 'integer' ? 'integer-match.py' : 'string-match.py'];
    evaluation = { check: [null, { language: 'python', code: check }], example: { language: 'bash', code: ev.example } };
  } else if ('check' in ev) {
    // The chain passes Python's str(None) when the agent finished without an answer; $ANSWER is then unset.
    evaluation = { check: [{ language: 'bash', code: `[ "$1" = None ] || ANSWER=$1\n${ev.check}` }] };
  } else throw new Error('An inline OS task\'s "evaluation" has "match", "compare" (with "example") or "check".');
  return { description: data.description, init, evaluation, labels: [] };
}
