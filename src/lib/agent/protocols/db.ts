/**
 * AgentBench DB (THUDM/AgentTuning `AgentBench.old/src/tasks/dbbench/__init__.py`, copies in
 * tests/fixtures/agentbench/sources): the instruction (`big_prompt`, __init__.py:10-29) as the first user turn, the
 * model's "Ok." (__init__.py:75), then the task (__init__.py:76-77).
 *
 * Strict mode reads a reply as the harness's loop does (__init__.py:78-102): the first "Action: (.*?)\n"; when it
 * is "Operation", the first "```sql\n...\n```" block runs (stripped, newlines made spaces); without one the episode
 * ends with the answer "". Anything else ends it with the rest of the line after "\nFinal Answer:" (or ""), which
 * the environment scores as AgentBench.old did (2023): a modifying task by its table, whatever the answer. 15
 * Operation rounds, then the 16th reply is read only for its answer (`rounds < max_round`, max_round 15).
 * Lenient mode keeps the forgiving parser and answers a bad reply with a format reminder.
 *
 * Environment contract: `reset` returns the task text (`description + "\n" + add_description`); `step` returns
 * what the harness's `Container.execute` returns before its cut: `str()` of the rows or the MySQL connector's error
 * text (Interaction.py:351-364); this formatter cuts it at 800 characters + "[TRUNCATED]" (Interaction.py:372-373).
 * Ambiguous there: what `fetchall()` gave after a statement without rows (INSERT, UPDATE) depends on the connector
 * build (its C extension returns [], its pure-Python cursor raises "No result set to fetch from."); we show "[]".
 */
import type { ParseOptions, ParseResult, Protocol } from './types';
import { codeFences } from './text';

/** __init__.py:10-29. */
const INSTRUCTION = `
I will ask you a question, then you should help me operate a MySQL database with SQL to answer the question.
You have to explain the problem and your solution to me and write down your thoughts.
After thinking and explaining thoroughly, every round you can choose to operate or to answer.
your operation should be like this:
Action: Operation
\`\`\`sql
SELECT * FROM table WHERE condition;
\`\`\`
You MUST put SQL in markdown format without any other comments. Your SQL should be in one line.
Every time you can only execute one SQL statement. I will only execute the statement in the first SQL code block. Every time you write a SQL, I will execute it for you and give you the output.
If you are done operating, and you want to commit your final answer, then write down:
Action: Answer
Final Answer: ["ANSWER1", "ANSWER2", ...]
DO NOT write this pattern unless you are sure about your answer. I expect an accurate and correct answer.
Your answer should be accurate. Your answer must be exactly the same as the correct answer.
If the question is about modifying the database, then after done operation, your answer field can be anything.
If your response cannot match any pattern I mentioned earlier, you will be judged as FAIL immediately.
Your input will be raw MySQL response, you have to deal with it by yourself.
`;

/** Interaction.py:373. */
export const DB_TRUNCATION_MARKER = '[TRUNCATED]';

/** `result[:800] + "[TRUNCATED]"` (Interaction.py:372-373), counting code points as Python does. */
function formatObservation(result: string): string {
  if (result.length <= 800) return result;
  const points = Array.from(result);
  return points.length > 800 ? points.slice(0, 800).join('') + DB_TRUNCATION_MARKER : result;
}

const FORMAT_REMINDER = `Your response cannot match any pattern I mentioned earlier. To operate, write:
Action: Operation
\`\`\`sql
SELECT * FROM table WHERE condition;
\`\`\`
To commit your final answer, write:
Action: Answer
Final Answer: ["ANSWER1", "ANSWER2", ...]`;

const SQL_TAGS = new Set(['', 'sql', 'mysql', 'sqlite']);
const SQL_START = /^(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|SHOW|DESCRIBE|DESC|REPLACE|PRAGMA)\b/i;

function fail(thought: string, error: string): ParseResult {
  return { ok: false, thought, error, observation: FORMAT_REMINDER };
}

/**
 * Reads a Python list literal of scalars (`["a", 'b', 3, None]`) as strings: quoted items unquoted,
 * other items as written. Returns an error text when the literal is malformed or nested.
 */
export function parseAnswerList(src: string): string[] | { error: string } {
  const items: string[] = [];
  let i = 1; // past '['
  const skipWs = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  skipWs();
  if (src[i] === ']') return items;
  for (;;) {
    skipWs();
    const c = src[i];
    if (c === undefined) return { error: 'the list is not closed with "]"' };
    if (c === '[' || c === '(' || c === '{') return { error: 'nested lists are not a valid answer' };
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          s += src[j + 1];
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) return { error: 'a quoted item is not closed' };
      items.push(s);
      i = j + 1;
    } else {
      const m = /^[^,\]]*/.exec(src.slice(i))!;
      const raw = m[0].trim();
      if (raw === '') return { error: 'an empty item in the list' };
      items.push(raw);
      i += m[0].length;
    }
    skipWs();
    if (src[i] === ',') {
      i++;
      skipWs();
      if (src[i] === ']') return items; // trailing comma
      continue;
    }
    if (src[i] === ']') return items;
    if (src[i] === undefined) return { error: 'the list is not closed with "]"' };
    return { error: `unexpected "${src[i]}" in the list` };
  }
}

function parseLenient(text: string): ParseResult {
  const actions = [...text.matchAll(/^[^\w\n]*Action[*\s]*:[*\s]*(\w+)/gim)].map((m) => m[1].toLowerCase());
  const finalMatch = /Final Answer\s*:\s*([\s\S]*)$/i.exec(text);
  const firstAction = /^[^\w\n]*Action[*\s]*:/im.exec(text);
  const thoughtEnd = Math.min(firstAction?.index ?? text.length, finalMatch?.index ?? text.length);
  const thought = text.slice(0, thoughtEnd).trim();

  if (actions.length > 1) {
    return fail(thought, `${actions.length} "Action:" lines: choose to operate or to answer, once per turn`);
  }
  const kind = actions[0] ?? (finalMatch ? 'answer' : 'operation');

  if (kind === 'answer') {
    if (!finalMatch) return fail(thought, 'Action: Answer without "Final Answer: [...]"');
    const body = finalMatch[1].trim();
    if (body.startsWith('[')) {
      const list = parseAnswerList(body);
      if (!Array.isArray(list)) return fail(thought, `Final Answer is not a valid list: ${list.error}`);
      return { ok: true, thought, action: { type: 'final', answer: list } };
    }
    const line = body.split('\n')[0].trim();
    const unquoted = /^(["'])(.*)\1$/.exec(line);
    return { ok: true, thought, action: { type: 'final', answer: [unquoted ? unquoted[2] : line] } };
  }
  if (kind !== 'operation') return fail(thought, `unknown action "Action: ${actions[0]}"`);
  if (finalMatch && actions.length > 0) {
    return fail(thought, 'both an Operation and a Final Answer: choose to operate or to answer, once per turn');
  }

  const after = firstAction ? text.slice(firstAction.index) : text;
  const fence = codeFences(after).find((f) => SQL_TAGS.has(f.lang));
  let sql: string | undefined;
  if (fence) {
    if (!fence.closed) return fail(thought, 'the ```sql code block is not closed');
    sql = fence.body;
  } else if (actions.length > 0) {
    // "Action: Operation" then the statement on the next line(s) with no fence
    const rest = after.replace(/^[^\n]*\n?/, '').trim();
    if (SQL_START.test(rest)) sql = rest;
  }
  if (sql === undefined) {
    return fail(thought, actions.length > 0 ? 'Action: Operation without a ```sql code block' : 'no "Action:" line');
  }
  sql = sql.trim().replace(/\n/g, ' ');
  if (sql === '') return fail(thought, 'the sql code block is empty');
  return { ok: true, thought, action: { type: 'tool', name: 'sql', args: sql } };
}

/** __init__.py:80-102. */
/** 15 Operation rounds, then a reply read only for its answer (`rounds < max_round`, max_round 15). */
const MAX_TURNS = 16;

function parseStrict(text: string, finalTurn: boolean): ParseResult {
  const action = /Action: ([^\n]*?)\n/.exec(text);
  if (action?.[1] === 'Operation' && !finalTurn) {
    const block = /```sql\n([\s\S]*?)\n```/.exec(text);
    if (!block) return end('', 'Action: Operation without a "```sql\\n...\\n```" block');
    return { ok: true, thought: thoughtOf(text, action.index), action: { type: 'tool', name: 'sql', args: block[1].trim().replaceAll('\n', ' ') } };
  }
  const answer = /\nFinal Answer:([^\n]*)/.exec(text);
  if (!answer) return end('', finalTurn ? 'the last round gave no "Final Answer:"' : 'neither "Action: Operation" nor "\\nFinal Answer:"');
  return { ok: true, thought: thoughtOf(text, action?.index ?? answer.index), action: { type: 'final', answer: answer[1] } };

  function end(answerText: string, error: string): ParseResult {
    return { ok: false, thought: thoughtOf(text, action?.index ?? text.length), error, observation: FORMAT_REMINDER, endsEpisode: true, submit: { type: 'final', answer: answerText } };
  }
}

function thoughtOf(text: string, end: number): string {
  return text.slice(0, end).trim();
}

function parse(text: string, options?: ParseOptions): ParseResult {
  return options?.mode === 'strict' ? parseStrict(text, options.turn === MAX_TURNS) : parseLenient(text);
}

export const dbProtocol: Protocol = {
  id: 'db',
  env: 'db',
  maxTurns: MAX_TURNS,
  observationLimit: 800,
  systemPrompt: () => INSTRUCTION,
  examples: [{ role: 'assistant', content: 'Ok.' }],
  taskMessage: (task) => task,
  parse,
  formatObservation,
};
