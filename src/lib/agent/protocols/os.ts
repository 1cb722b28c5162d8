/**
 * AgentBench OS interaction (THUDM/AgentTuning `AgentBench.old/src/tasks/os_interaction/task.py`, the copy in
 * tests/fixtures/agentbench/sources). The first user turn is the instruction (task.py:395-419) + "Now, my problem
 * is:\n\n" + the one-shot's question (task.py:425); the rest of `ONE_SHOT` (task.py:124-162) follows as it is, with
 * its own observation texts ("The output of the OS:\n" with one newline, unlike the live observations' two); then
 * "Now, I will start a new problem in a new OS. My problem is:\n\n" + the task (task.py:427).
 *
 * Strict mode parses as `extract_action` does (task.py:319-358): the last `Act:` that starts with bash, finish or
 * answer(...) wins, and a bash action runs every "```bash\n...\n```" block joined by blank lines (none: the
 * harness sends an empty command). A reply with no such action ends the episode (task.py:437-439); the harness then
 * judges the answer None, which is what `finish` submits, and does the same when the 8 rounds run out
 * (task.py:429, 453). Lenient mode keeps the forgiving parser and answers a bad reply with a format reminder.
 * Ambiguity: an empty bash command's output in the original is whatever the docker pty printed (its prompt); here it
 * is the environment's output for an empty script.
 *
 * Environment contract: `reset` returns the problem description; `step` returns the raw shell output (this
 * formatter adds "The output of the OS:\n\n" and cuts it at 800 characters as task.py:447-451 does).
 */
import type { Action } from '../../tasks/types';
import type { ParseOptions, ParseResult, Protocol } from './types';
import { codeFences, truncate } from './text';

const INSTRUCTION = `You are an assistant that will act like a person, I'will play the role of linux(ubuntu) operating system. Your goal is to implement the operations required by me or answer to the question proposed by me. For each of your turn, you should first think what you should do, and then take exact one of the three actions: "bash", "finish" or "answer". 

1. If you think you should execute some bash code, take bash action, and you should print like this:

Think: put your thought here.

Act: bash

\`\`\`bash
# put your bash code here
\`\`\`

2. If you think you have finished the task, take finish action, and you should print like this:

Think: put your thought here.

Act: finish

3. If you think you have got the answer to the question, take answer action, and you should print like this:

Think: put your thought here.

Act: answer(Your answer to the question should be put in this pair of parentheses)

If the output is too long, I will truncate it. The truncated output is not complete. You have to deal with the truncating problem by yourself. Attention, your bash code should not contain any input operation. Once again, you should take only exact one of the three actions in each turn.

`;

/** task.py:124-162, verbatim. */
const ONE_SHOT_QUESTION = 'tell me how many files are in the directory "/etc"?';
const ONE_SHOT_TURNS = [
  `Think: To count the files in /etc, I need to print all the files in it.

Act: bash

\`\`\`bash
ls /etc
\`\`\``,
  'The output of the OS:\ncpi cron.hourly fuse.conf iproute2 lvm networkd-dispatcher protocols selinux tmpfiles.d [truncated because the output is too long]',
  `Think: The output has been truncated because it is too long, so I need to count files by script directly.

Act: bash

\`\`\`bash
ls -1 /etc | wc -l
\`\`\``,
  'The output of the OS:\n220',
  `Think: Now I get the answer, it is 220.

Act: answer(220)`,
];

/** task.py:448. */
export const OS_TRUNCATION_MARKER = '\n[truncated because the output is too long]';

function formatObservation(output: string): string {
  if (output === '') return 'The output of the OS is empty.';
  return 'The output of the OS:\n\n' + truncate(output, 800, OS_TRUNCATION_MARKER, 780);
}

const FORMAT_REMINDER = `Your response does not follow the required format. For each of your turn, you should first think what you should do, and then take exact one of the three actions: "bash", "finish" or "answer", printed like this:

Think: put your thought here.

Act: bash

\`\`\`bash
# put your bash code here
\`\`\`

or "Act: finish", or "Act: answer(Your answer to the question should be put in this pair of parentheses)".`;

const SHELL_TAGS = new Set(['', 'bash', 'sh', 'shell', 'console', 'zsh']);

/** `Act:` lines outside code fences, with their line index. */
function actLines(lines: string[]): { index: number; value: string }[] {
  const acts: { index: number; value: string }[] = [];
  let inFence = false;
  lines.forEach((line, index) => {
    if (/^\s*```/.test(line)) inFence = !inFence;
    else if (!inFence) {
      const m = /^[^\w\n]*Act[*\s]*:[*\s]*(.*)$/i.exec(line);
      if (m) acts.push({ index, value: m[1].trim() });
    }
  });
  return acts;
}

function thoughtBefore(lines: string[], end: number): string {
  const text = lines.slice(0, end).join('\n');
  const m = /Think\s*:\s*([\s\S]*)$/i.exec(text);
  return (m ? m[1] : text).trim();
}

function fail(thought: string, error: string): ParseResult {
  return { ok: false, thought, error, observation: FORMAT_REMINDER };
}

function parseLenient(text: string): ParseResult {
  const lines = text.split('\n');
  const acts = actLines(lines);
  if (acts.length > 1) {
    return fail(thoughtBefore(lines, acts[0].index), `${acts.length} "Act:" lines: take exactly one action per turn`);
  }
  const thought = thoughtBefore(lines, acts[0]?.index ?? lines.length);
  const act = acts[0]?.value ?? '';
  const kind = act.toLowerCase();

  if (kind.startsWith('finish')) return { ok: true, thought, action: { type: 'finish' } };
  if (kind.startsWith('answer')) {
    const open = act.indexOf('(');
    const close = act.lastIndexOf(')');
    if (open === -1 || close < open) return fail(thought, 'answer without a (value) in parentheses');
    return { ok: true, thought, action: { type: 'final', answer: act.slice(open + 1, close).trim() } };
  }
  // No Act line at all but a shell block: the model skipped the label, the intent is plain.
  const fences = codeFences(text).filter((f) => SHELL_TAGS.has(f.lang));
  if (kind.startsWith('bash') || (acts.length === 0 && fences.length > 0)) {
    if (fences.length === 0) return fail(thought, 'Act: bash without a ```bash code block');
    if (fences.some((f) => !f.closed)) return fail(thought, 'the ```bash code block is not closed');
    const script = fences.map((f) => f.body).join('\n\n');
    if (script.trim() === '') return fail(thought, 'the bash code block is empty');
    const action: Action = { type: 'tool', name: 'bash', args: script };
    return { ok: true, thought, action };
  }
  return fail(thought, acts.length === 0 ? 'no "Act:" line' : `unknown action "Act: ${act}"`);
}

/** `extract_action` (task.py:319-358), with its regexes as written. */
function parseStrict(raw: string): ParseResult {
  const thought = [...raw.matchAll(/Think:\s*([^\n]+)/g)].map((m) => m[1]).join('\n');
  for (const [, act] of [...raw.matchAll(/Act:\s*([^\n]+)/g)].reverse()) {
    const kind = act.toLowerCase();
    if (kind.startsWith('bash')) {
      const script = [...raw.matchAll(/```bash\n([\s\S]*?)\n```/g)].map((m) => m[1]).join('\n\n');
      return { ok: true, thought, action: { type: 'tool', name: 'bash', args: script } };
    }
    if (kind.startsWith('finish')) return { ok: true, thought, action: { type: 'finish' } };
    if (kind.startsWith('answer')) {
      const content = pyStrip(act.slice(6));
      const open = content.indexOf('(');
      const close = content.lastIndexOf(')');
      if (open === -1 || close === -1) continue;
      // Python's content[l+1:r] is empty, not an error, when ")" comes first.
      return { ok: true, thought, action: { type: 'final', answer: close > open ? content.slice(open + 1, close) : '' } };
    }
  }
  return { ok: false, thought, error: 'no "Act: bash", "Act: finish" or "Act: answer(...)"', observation: FORMAT_REMINDER, endsEpisode: true, submit: { type: 'finish' } };
}

/** Python's str.strip() with no argument (whitespace as Python counts it). */
function pyStrip(s: string): string {
  return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g, '');
}

function parse(text: string, options?: ParseOptions): ParseResult {
  return options?.mode === 'strict' ? parseStrict(text) : parseLenient(text);
}

export const osProtocol: Protocol = {
  id: 'os',
  env: 'os',
  maxTurns: 8,
  observationLimit: 800,
  systemPrompt: () => INSTRUCTION + 'Now, my problem is:\n\n' + ONE_SHOT_QUESTION,
  examples: ONE_SHOT_TURNS.map((content, i) => ({ role: i % 2 === 0 ? 'assistant' : 'user', content })),
  exhaustedAction: { type: 'finish' },
  taskMessage: (task) => 'Now, I will start a new problem in a new OS. My problem is:\n\n' + task,
  parse,
  formatObservation,
};
