/**
 * ALFWorld household as AgentBench runs it (THUDM/AgentTuning `AgentBench.old/src/tasks/alfworld/task.py`, copies in
 * tests/fixtures/agentbench/sources): the instruction (task.py:146) as the first user turn, the model's "OK." turn
 * (task.py:173), the example the harness picks for the task's type (task.py:61-68, 148-153: put, clean, heat, cool,
 * examine, puttwo from `prompts/alfworld_multiturn_react.json`, copied verbatim beside this file) with "Here is one
 * example.\n" before its first turn (task.py:177), then "Here is your task. " + the first observation (task.py:180).
 *
 * Strict mode reads a reply as `process_action` does (utils.py:26-38): the rest of the line after the first
 * "ACTION:", or the whole reply's first line when there is none, stripped and lower-cased; it never fails, and the
 * environment snaps it to an admissible command. The episode ends when the last three replies are the same and
 * more than three were made (task.py:208-214). Lenient mode wants an ACTION line and answers otherwise with a
 * format reminder. Not reproducible: ALFWorld itself (our simulator is our own) and the harness's `max_step` (its
 * default is 50, task.py:60; the run's configuration is not in the sources: 35 here, as AgentBench's ALFWorld
 * setting is commonly given).
 *
 * Environment contract: `reset` returns the first observation ("You are in the middle of a room. ... Your task is
 * to: ..."); `step` receives `{type:'tool', name:'act', args: command}` and returns the feedback text.
 */
import type { TaskSpec } from '../../tasks/types';
import type { HouseholdTask } from '../../tasks/household/tasks';
import type { ChatMessage } from '../template';
import type { ParseOptions, ParseResult, Protocol } from './types';
import examples from './alfworld-multiturn-react.json';

const INSTRUCTION =
  'Interact with a household to solve a task. Imagine you are an intelligent agent in a household environment and your target is to perform actions to complete the task goal. At the beginning of your interactions, you will be given the detailed description of the current environment and your goal to accomplish. For each of your turn, you will be given a list of actions which you can choose one to perform in this turn. You should choose from two actions: "THOUGHT" or "ACTION". If you choose "THOUGHT", you should first think about the current condition and plan for your future actions, and then output your action in this turn. Your output must strictly follow this format:"THOUGHT: your thoughts.\n ACTION: your next action\n"; If you choose "ACTION", you should directly output the action in this turn. Your output must strictly follow this format:"ACTION: your next action\n". After your each turn, the environment will give you immediate feedback based on which you plan your next few steps. if the envrionment output "Nothing happened", that means the previous action is invalid and you should try more options.\n Reminder: \n1. the action must be chosen from the given available actions. Any actions except provided available actions will be regarded as illegal. \n2. Think when necessary, try to act directly more in the process.\n\n';

const FORMAT_REMINDER =
  'Your output must strictly follow this format:"THOUGHT: your thoughts.\n ACTION: your next action\n"; or, to act directly, this format:"ACTION: your next action\n". Take one action in each turn.';

function fail(thought: string, error: string): ParseResult {
  return { ok: false, thought, error, observation: FORMAT_REMINDER };
}

/** The first line of `raw`, without a leading ">" or trailing period, lower-cased. */
function cleanCommand(raw: string): string {
  return raw
    .trim()
    .split('\n')[0]
    .replace(/^>\s*/, '')
    .replace(/[.。]+$/, '')
    .trim()
    .toLowerCase();
}

function parseLenient(text: string): ParseResult {
  // "ACTION" or "Action" as a label, not "action:" inside a sentence
  const actions = [...text.matchAll(/(?<!\w)(?:ACTION|Action)[*\s]*:[* \t]*(.*)/g)];
  const thoughtMatch = /(?<!\w)(?:THOUGHT|Thought)\s*:\s*([\s\S]*?)(?=(?<!\w)(?:ACTION|Action)[*\s]*:|$)/.exec(text);
  const thought = thoughtMatch ? thoughtMatch[1].trim() : '';
  if (actions.length > 1) return fail(thought, `${actions.length} ACTION lines: take one action per turn`);

  let command: string;
  if (actions.length === 1) {
    const after = text.slice(actions[0].index! + actions[0][0].length - actions[0][1].length);
    command = cleanCommand(after);
  } else {
    // A bare command line with no label (ALFWorld's own agents output just the command).
    const lines = text.trim().split('\n').filter((l) => l.trim() !== '');
    if (thoughtMatch || lines.length !== 1) return fail(thought, 'no "ACTION:" line');
    command = cleanCommand(lines[0]);
  }
  if (command === '') return fail(thought, 'the ACTION is empty');
  return { ok: true, thought, action: { type: 'tool', name: 'act', args: command } };
}

/** `process_action`'s reading of a reply (utils.py:26-34); the snapping is the environment's. */
function parseStrict(text: string): ParseResult {
  const m = /ACTION:([^\n]*)\n/.exec(text) ?? /ACTION:([^\n]*)/.exec(text);
  const command = (m ? m[1] : text).trim().toLowerCase().split('\n')[0];
  const thought = /THOUGHT:\s*([^\n]*)/.exec(text)?.[1].trim() ?? '';
  return { ok: true, thought, action: { type: 'tool', name: 'act', args: command } };
}

function parse(text: string, options?: ParseOptions): ParseResult {
  return options?.mode === 'strict' ? parseStrict(text) : parseLenient(text);
}

/** task.py:61-68: the example key for a task type (its game file's folder starts with the type's name). */
const PREFIXES: [string, keyof typeof examples][] = [
  ['pick_and_place', 'put'],
  ['pick_clean_then_place', 'clean'],
  ['pick_heat_then_place', 'heat'],
  ['pick_cool_then_place', 'cool'],
  ['look_at_obj', 'examine'],
  ['pick_two_obj', 'puttwo'],
];

/** task.py:148-160 and 173-178. */
function examplesFor(task: TaskSpec): ChatMessage[] {
  const type = (task as HouseholdTask).data?.taskType ?? '';
  const key = PREFIXES.find(([prefix]) => type.startsWith(prefix))?.[1];
  if (!key) throw new Error(`household task ${task.id}: no example for task type "${type}" (expected one of ${PREFIXES.map(([p]) => p).join(', ')})`);
  const history = [...examples[key]];
  history[0] = 'Here is one example.\n' + history[0];
  return [
    { role: 'assistant', content: "OK. I'll follow your instructions and try my best to solve the task." },
    ...history.map((content, i): ChatMessage => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
  ];
}

export const householdProtocol: Protocol = {
  id: 'household',
  env: 'household',
  maxTurns: 35,
  observationLimit: 1500,
  systemPrompt: () => INSTRUCTION,
  examplesFor,
  taskMessage: (task) => 'Here is your task. ' + task,
  parse,
  formatObservation: (feedback) => feedback,
  endsOnRepeat: (outputs) => outputs.length > 3 && outputs.slice(-3).every((o) => o === outputs.at(-1)),
};
