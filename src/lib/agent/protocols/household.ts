/**
 * ALFWorld household as AgentBench runs it (THUDM/AgentTuning `AgentBench.old/src/tasks/alfworld/task.py`):
 * the original instruction, the model's "OK." turn, one example ("Here is one example.", our own
 * trajectory in the ALFWorld command grammar), then "Here is your task. " + the first observation.
 *
 * Environment contract: `reset` returns the first observation ("You are in the middle of a room.
 * ... Your task is to: ..."); `step` receives `{type:'tool', name:'act', args: command}` with the
 * command lower-cased and returns the feedback text ("Nothing happened." for an invalid command).
 */
import type { ParseResult, Protocol } from './types';
import { truncate } from './text';

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

function parse(text: string): ParseResult {
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

export const householdProtocol: Protocol = {
  id: 'household',
  env: 'household',
  maxTurns: 35,
  observationLimit: 1500,
  systemPrompt: () => INSTRUCTION,
  examples: [
    { role: 'assistant', content: "OK. I'll follow your instructions and try my best to solve the task." },
    {
      role: 'user',
      content:
        'Here is one example.\nYou are in the middle of a room. Looking quickly around you, you see a bed 1, a desk 1, a drawer 2, a drawer 1, a garbagecan 1, a shelf 1, and a sidetable 1.\nYour task is to: put a book on sidetable.\n',
    },
    {
      role: 'assistant',
      content:
        'THOUGHT: The task is to put a book on sidetable, so first i need to find a book. A book is likely on the desk or the shelf.\n ACTION: go to desk 1\n',
    },
    { role: 'user', content: 'On the desk 1, you see a laptop 1, and a pen 1.\n' },
    { role: 'assistant', content: 'THOUGHT: There is no book on the desk 1, so i need to search somewhere else.\n ACTION: go to shelf 1\n' },
    { role: 'user', content: 'On the shelf 1, you see a book 2, and a vase 1.\n' },
    { role: 'assistant', content: 'THOUGHT: I found a book 2. To put it on the sidetable, i need to take it first.\n ACTION: take book 2 from shelf 1\n' },
    { role: 'user', content: 'You pick up the book 2 from the shelf 1.\n' },
    { role: 'assistant', content: 'ACTION: go to sidetable 1\n' },
    { role: 'user', content: 'On the sidetable 1, you see a alarmclock 1.\n' },
    { role: 'assistant', content: 'ACTION: put book 2 in/on sidetable 1\n' },
  ],
  taskMessage: (task) => 'Here is your task. ' + task,
  parse,
  formatObservation: (feedback) => truncate(feedback, 1500, '... [truncated]'),
};
