/**
 * HotpotQA as AgentTuning's held-out evaluation runs it (THUDM/AgentTuning `eval_heldout/hotpotQA/src/`, Apache-2.0,
 * from Salesforce's agent benchmark): ReactAgent (agent_arch.py:230-252) with REACT_INSTRUCTION (pre_prompt.py:213-221)
 * and REACT_EXAMPLE (fewshots.py:8-27), numbered `Thought n:` / `Action n:` / `Observation n:` steps, at most 10 of
 * them (agent_arch.py:110, 155-158), the observations of langchain's DocstoreExplorer over a Wikipedia docstore
 * (the environment, src/lib/tasks/wiki) and its score: token F1 as the reward, exact match in the Finish observation.
 *
 * That harness is one completion prompt, `instruction + examples + "Question: q" + scratchpad`, with two model calls
 * per step (after `\nThought n:` and after `\nAction n:`, each cut at the first newline). Here the same lines are
 * chat turns: the instruction is the system turn, `Question: q` the first user turn, each `Thought n: ...\nAction n:
 * ...` one assistant turn (the loop writes `Thought n:` itself, as the harness did) and each `Observation n: ...` a
 * user turn; the turns joined with "\n" are the original prompt (golden test: tests/unit/golden-wiki.test.ts against
 * scripts/golden/wiki.py). `strict` reads the turn as the two calls would have been read: the first line is the
 * thought, the next line (its `Action n:` label dropped) the action, parsed by parse_action (agent_arch.py:26-47),
 * so a lower-case `search[...]` is an Invalid Action; a bad action never ends the episode there.
 * `lenient` (the demo) accepts any case, labels in markdown and a bare `search[...]` (on the action line: the cut
 * below keeps no other).
 *
 * In both modes, as there: each of the two calls is cut at its first newline (llms.py:73-86, the TGI backend's
 * stop_sequences=["\n"], which langchain cuts off) and trimmed by format_step, so the turn kept is `Thought n:` +
 * the first line, then `Action n:` + the action (historyText below); and before each step the harness halts, reward
 * 0, once its whole prompt passes 2000 tokens as tiktoken's cl100k_base counts them (agent_arch.py:134, 155-158,
 * context_len=2000; llms.py:26), counted here by js-tiktoken (cl100k.ts).
 *
 * Not reproducible in one call: the harness wrote `Action n:` itself and asked again, where the model here writes
 * both lines at once. The model's next non-blank line after the thought, its own `Action n:` label dropped, stands
 * for what the second call would have answered; the golden test checks the cut on replies with extra lines.
 */
import type { ChatMessage } from '../template';
import { countCl100k } from './cl100k';
import type { EpisodeMode, ParseResult, Protocol } from './types';
import { leadingLabel, stripLabel } from './text';

// fewshots.py:8-27 REACT_EXAMPLE, verbatim (its mojibake "\u00e2\u0080\u0093" included).
const REACT_EXAMPLE = [
  "Question: Musician and satirist Allie Goertz wrote a song about the \"The Simpsons\" character Milhouse, who Matt Groening named after who?",
  "Thought 1: The question simplifies to \"The Simpsons\" character Milhouse is named after who. I only need to search Milhouse and find who it is named after.",
  "Action 1: Search[Milhouse]",
  "Observation 1: Milhouse Mussolini Van Houten is a recurring character in the Fox animated television series The Simpsons voiced by Pamela Hayden and created by Matt Groening.",
  "Thought 2: The paragraph does not tell who Milhouse is named after, maybe I can look up \"named after\".",
  "Action 2: Lookup[named after]",
  "Observation 2: (Result 1 / 1) Milhouse was named after U.S. president Richard Nixon, whose middle name was Milhous. ",
  "Thought 3: Milhouse was named after U.S. president Richard Nixon, so the answer is Richard Nixon.",
  "Action 3: Finish[Richard Nixon]",
  "",
  "Question: Were Pavel Urysohn and Leonid Levin known for the same type of work?",
  "Thought 1: I need to search Pavel Urysohn and Leonid Levin, find their types of work, then find if they are the same.",
  "Action 1: Search[Pavel Urysohn]",
  "Observation 1: Pavel Samuilovich Urysohn (February 3, 1898 \u00e2\u0080\u0093 August 17, 1924) was a Soviet mathematician who is best known for his contributions in dimension theory.",
  "Thought 2: Pavel Urysohn is a mathematician. I need to search Leonid Levin next and find its type of work.",
  "Action 2: Search[Leonid Levin]",
  "Observation 2: Leonid Anatolievich Levin is a Soviet-American mathematician and computer scientist. ",
  "Thought 3: Leonid Levin is a mathematician and computer scientist. So Pavel Urysohn and Leonid Levin have the same type of work. ",
  "Action 3: Finish[yes]",
  ""
].join('\n');

// pre_prompt.py:213-221 REACT_INSTRUCTION up to "(END OF EXAMPLES)"; "\nQuestion: {question}" is the task turn.
const INSTRUCTION = `This task involves solving a question-answering exercise through a series of interleaved Thought, Action, and Observation steps. Any thought before the action is allowed, and action can be one of the following three types:
(1) Search[entity]: This action involves searching for a specific entity on Wikipedia and returning the first paragraph of the entity's page if it exists. If the entity does not have a Wikipedia page, the assistant should suggest similar entities to search for.
(2) Lookup[keyword]: This action involves searching for the next sentence containing the specified keyword in the most recent passage successfully found by the Search action.
(3) Finish[answer]: This action concludes the task by providing the answer to the question.
You can take as many steps as necessary to answer the question. The key is to ensure that each step logically follows the previous one and contributes to the final answer. The task aims to emulate a reasoning process that yields accurate and comprehensive answers.
Here are some examples:
${REACT_EXAMPLE}
(END OF EXAMPLES)`;

// agent_arch.py:218.
const INVALID = 'Invalid Action. Valid Actions are Lookup[<topic>] Search[<topic>] and Finish[<answer>].';

/** agent_arch.py:49-50 format_step. */
export const formatStep = (step: string): string => step.replace(/^\n+|\n+$/g, '').trim().replaceAll('\n', '');

// agent_arch.py:192: "Observation {n}: " + the result.
const formatObservation = (result: string, turn = 1): string => `Observation ${turn}: ${formatStep(result)}`;

function fail(thought: string, error: string, turn: number | undefined): ParseResult {
  return { ok: false, thought, error, observation: formatObservation(INVALID, turn) };
}

/** agent_arch.py:26-47 parse_action and fuzzy_parse_action. */
function parseAction(text: string): [string, string] {
  const exact = /^(\w+)\[(.+)\]$/.exec(text);
  if (exact) return [exact[1], exact[2]];
  const fuzzy = text.replace(/^ +| +$/g, '').replace(/^\.+|\.+$/g, '');
  const m = /^(\w+)\[(.+)\]/.exec(fuzzy);
  return m ? [m[1], m[2]] : [fuzzy, ''];
}

function parseStrict(text: string, turn: number | undefined): ParseResult {
  const [first, second = ''] = text.split('\n');
  const thought = formatStep(first.replace(/^\s*Thought\s*\d*\s*:/, ''));
  const action = formatStep(second.replace(/^\s*Action\s*\d*\s*:/, ''));
  const [type, argument] = parseAction(action);
  if (type === 'Finish') return { ok: true, thought, action: { type: 'final', answer: argument } };
  if (type === 'Search' || type === 'Lookup') return { ok: true, thought, action: { type: 'tool', name: type.toLowerCase(), args: argument } };
  return fail(thought, `"${action}" is not Search[...], Lookup[...] or Finish[...]`, turn);
}

const NAMES = new Set(['search', 'lookup', 'finish']);

function parseLenient(raw: string, turn: number | undefined): ParseResult {
  const obs = /^[^\w\n]*Observation(?:\s*\d+)?\s*:/im.exec(raw);
  const text = obs ? raw.slice(0, obs.index) : raw;
  const labelled = [...text.matchAll(/^[^\w\n]*Action(?:\s*\d+)?\s*:\s*(.*)$/gim)];
  const bare = [...text.matchAll(/^[^\w\n]*((?:search|lookup|finish)\s*\[.*)$/gim)];
  const calls = labelled.length > 0 ? labelled : bare;
  const thought = stripLabel(text.slice(0, calls[0]?.index ?? text.length), 'Thought');
  if (calls.length > 1) return fail(thought, `${calls.length} actions in one turn`, turn);
  if (calls.length === 0) return fail(thought, 'no "Action:" line', turn);

  const m = /^(\w+)\s*\[(.*)\]/.exec(calls[0][1].trim());
  if (!m) return fail(thought, `"${calls[0][1].trim()}" is not of the form Name[argument]`, turn);
  const name = m[1].toLowerCase();
  const arg = m[2].trim();
  if (!NAMES.has(name)) return fail(thought, `unknown action "${m[1]}"`, turn);
  if (arg === '') return fail(thought, `${m[1]}[] is empty`, turn);
  if (name === 'finish') return { ok: true, thought, action: { type: 'final', answer: arg } };
  return { ok: true, thought, action: { type: 'tool', name, args: arg } };
}

/**
 * The turn as the harness's two newline-cut calls keep it (agent_arch.py:169-180): `Thought n: ` + the first line,
 * `\nAction n: ` + the next non-blank line without its label, each trimmed by format_step; the rest is dropped.
 */
function historyText(text: string): string {
  const m = /^Thought (\d+):/.exec(text);
  if (!m) return text;
  const [first, ...rest] = text.slice(m[0].length).split('\n');
  const next = rest.find((line) => line.trim() !== '') ?? '';
  return `Thought ${m[1]}: ${formatStep(first)}\nAction ${m[1]}: ${formatStep(next.replace(leadingLabel('Action'), ''))}`;
}

// agent_arch.py:109 (ReactAgent passes context_len=2000 on, agent_arch.py:235).
const CONTEXT_LEN = 2000;

/** agent_arch.py:155-158 is_halted's prompt test: the prompt is the turns joined with newlines. */
async function halts(transcript: readonly ChatMessage[]): Promise<string | undefined> {
  const tokens = await countCl100k(transcript.map((m) => m.content).join('\n'));
  if (tokens <= CONTEXT_LEN) return undefined;
  return `the prompt is ${tokens} cl100k_base tokens, over the harness's ${CONTEXT_LEN}: it halts here (reward 0)`;
}

function parse(text: string, options: { mode?: EpisodeMode; turn?: number } = {}): ParseResult {
  return options.mode === 'strict' ? parseStrict(text, options.turn) : parseLenient(text, options.turn);
}

export const wikiProtocol: Protocol = {
  id: 'wiki',
  env: 'wiki',
  // agent_arch.py:110 max_steps=10.
  maxTurns: 10,
  observationLimit: 1500,
  systemPrompt: () => INSTRUCTION,
  taskMessage: (question) => 'Question: ' + question,
  parse,
  historyText,
  halts,
  formatObservation,
  assistantPrefix: (turn) => `Thought ${turn}:`,
  stop: ['\nObservation'],
};
