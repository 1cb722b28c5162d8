/**
 * AgentBench OS interaction (THUDM/AgentTuning `AgentBench.old/src/tasks/os_interaction/task.py`).
 * The instruction keeps the original wording; the one-shot trajectory is our own, in the same shape
 * as the original's (a truncated listing, then a counting command, then `answer`).
 *
 * Environment contract: `reset` returns the problem description; `step` returns the raw shell
 * output (this formatter adds "The output of the OS:" and cuts it at 800 characters).
 */
import type { Action } from '../../tasks/types';
import type { ParseResult, Protocol } from './types';
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

const ONE_SHOT_QUESTION = 'how many ".log" files are there under /var/log, subdirectories included?';

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

function parse(text: string): ParseResult {
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

export const osProtocol: Protocol = {
  id: 'os',
  env: 'os',
  maxTurns: 8,
  observationLimit: 800,
  systemPrompt: () => INSTRUCTION + 'Now, my problem is:\n\n' + ONE_SHOT_QUESTION,
  examples: [
    {
      role: 'assistant',
      content:
        'Think: To find the .log files I should first list them, searching subdirectories too.\n\nAct: bash\n\n```bash\nfind /var/log -name "*.log"\n```',
    },
    {
      role: 'user',
      content:
        'The output of the OS:\n\n/var/log/dpkg.log\n/var/log/apt/history.log\n/var/log/apt/term.log\n/var/log/alternatives.log\n/var/log/installer/syslog.log [truncated because the output is too long]',
    },
    {
      role: 'assistant',
      content:
        'Think: The listing was truncated, so I should let a command count the files instead of reading them.\n\nAct: bash\n\n```bash\nfind /var/log -name "*.log" | wc -l\n```',
    },
    { role: 'user', content: 'The output of the OS:\n\n14' },
    { role: 'assistant', content: 'Think: The command counted 14 files, so the answer is 14.\n\nAct: answer(14)' },
  ],
  taskMessage: (task) => 'Now, I will start a new problem in a new OS. My problem is:\n\n' + task,
  parse,
  formatObservation,
};
