/**
 * HotpotQA in ReAct form, with the instruction of AgentTuning's held-out evaluation
 * (THUDM/AgentTuning `eval_heldout/hotpotQA/src/pre_prompt.py`, Apache-2.0, from Salesforce's
 * ReAct code). That evaluation is a single completion prompt with numbered steps; here each
 * Thought/Action pair is one assistant turn and each Observation one user turn. The examples are
 * our own (fictional entities, like the bundled corpus).
 *
 * Environment contract: `reset` returns the question; `step` returns the search result paragraph,
 * the lookup sentence ("(Result 1 / 2) ...") or an error text; this formatter adds "Observation: ".
 * `finish[x]` becomes `{type:'final', answer: x}`.
 */
import type { ParseResult, Protocol } from './types';
import { stripLabel, truncate } from './text';

const EXAMPLES = `Question: The composer of the opera The Lantern Keeper was born in which city?
Thought: I need to search The Lantern Keeper, find its composer, then find where the composer was born.
Action: Search[The Lantern Keeper]
Observation: The Lantern Keeper is a 1911 chamber opera in one act by the composer Ilse Marwen, first performed in Graz.
Thought: The composer is Ilse Marwen. I need to search Ilse Marwen and find where she was born.
Action: Search[Ilse Marwen]
Observation: Ilse Marwen (1874-1950) was an Austrian composer and pianist who taught harmony in Vienna for thirty years.
Thought: The paragraph does not say where she was born. Maybe I can look up "born".
Action: Lookup[born]
Observation: (Result 1 / 1) Marwen was born in Linz and moved to Vienna at the age of twelve.
Thought: Ilse Marwen was born in Linz, so the answer is Linz.
Action: Finish[Linz]

Question: Were the Korvel Bridge and the Astra Tower designed by the same architect?
Thought: I need to search the Korvel Bridge and the Astra Tower, find their architects, then compare them.
Action: Search[Korvel Bridge]
Observation: The Korvel Bridge is a steel arch bridge over the Ness river, designed by the engineer Tomas Riel and opened in 1932.
Thought: The Korvel Bridge was designed by Tomas Riel. I need to search the Astra Tower next.
Action: Search[Astra Tower]
Observation: The Astra Tower is a 41-storey office building completed in 1998 to plans by the architect Maren Oddny.
Thought: The Astra Tower was designed by Maren Oddny, not Tomas Riel, so they were not designed by the same architect.
Action: Finish[no]`;

const INSTRUCTION = `This task involves solving a question-answering exercise through a series of interleaved Thought, Action, and Observation steps. Any thought before the action is allowed, and action can be one of the following three types:
(1) Search[entity]: This action involves searching for a specific entity on Wikipedia and returning the first paragraph of the entity's page if it exists. If the entity does not have a Wikipedia page, the assistant should suggest similar entities to search for.
(2) Lookup[keyword]: This action involves searching for the next sentence containing the specified keyword in the most recent passage successfully found by the Search action.
(3) Finish[answer]: This action concludes the task by providing the answer to the question.
You can take as many steps as necessary to answer the question. The key is to ensure that each step logically follows the previous one and contributes to the final answer. The task aims to emulate a reasoning process that yields accurate and comprehensive answers.
Here are some examples:
${EXAMPLES}
(END OF EXAMPLES)`;

const INVALID = 'Invalid Action. Valid Actions are Lookup[<topic>] Search[<topic>] and Finish[<answer>].';
const ONE_ACTION = 'Invalid Action. Take one action per turn: Lookup[<topic>], Search[<topic>] or Finish[<answer>].';
const NAMES = new Set(['search', 'lookup', 'finish']);

const formatObservation = (result: string): string => 'Observation: ' + truncate(result, 1500, ' ... [truncated]');

function fail(thought: string, error: string, message = INVALID): ParseResult {
  return { ok: false, thought, error, observation: formatObservation(message) };
}

function parse(raw: string): ParseResult {
  const obs = /^[^\w\n]*Observation(?:\s*\d+)?\s*:/im.exec(raw);
  const text = obs ? raw.slice(0, obs.index) : raw;
  const labelled = [...text.matchAll(/^[^\w\n]*Action(?:\s*\d+)?\s*:\s*(.*)$/gim)];
  const bare = [...text.matchAll(/^[^\w\n]*((?:search|lookup|finish)\s*\[.*)$/gim)];
  const calls = labelled.length > 0 ? labelled : bare;
  const thought = stripLabel(text.slice(0, calls[0]?.index ?? text.length), 'Thought');
  if (calls.length > 1) return fail(thought, `${calls.length} actions in one turn`, ONE_ACTION);
  if (calls.length === 0) return fail(thought, 'no "Action:" line');

  const m = /^(\w+)\s*\[(.*)\]/.exec(calls[0][1].trim());
  if (!m) return fail(thought, `"${calls[0][1].trim()}" is not of the form Name[argument]`);
  const name = m[1].toLowerCase();
  const arg = m[2].trim();
  if (!NAMES.has(name)) return fail(thought, `unknown action "${m[1]}"`);
  if (arg === '') return fail(thought, `${m[1]}[] is empty`);
  if (name === 'finish') return { ok: true, thought, action: { type: 'final', answer: arg } };
  return { ok: true, thought, action: { type: 'tool', name, args: arg } };
}

export const wikiProtocol: Protocol = {
  id: 'wiki',
  env: 'wiki',
  maxTurns: 10,
  observationLimit: 1500,
  systemPrompt: () => INSTRUCTION,
  taskMessage: (question) => 'Question: ' + question,
  parse,
  formatObservation,
  stop: ['\nObservation'],
};
