/**
 * WebShop as AgentBench runs it (THUDM/AgentTuning `AgentBench.old/src/tasks/webshop/__init__.py`):
 * the original instruction, the model's "Ok." turn, then a one-shot episode (ours, in the original's
 * shape), then the first observation.
 *
 * Environment contract: `reset` and `step` return the page text with `[SEP]` separators, then
 * `"\n\nAvailable Actions:\n"` and a JSON object `{"has_search_bar": bool, "clickables": [...]}`;
 * this formatter prefixes "Observation:\n" and cuts only the page part, so the clickables survive.
 * Actions: `{type:'tool', name:'search', args: keywords}` / `{type:'tool', name:'click', args: value}`.
 */
import type { ParseResult, Protocol } from './types';
import { stripLabel, truncate } from './text';

const INSTRUCTION = `
You are web shopping.
I will give you instructions about what to do.
You have to follow the instructions.
Every round I will give you an observation and a list of available actions, you have to respond an action based on the state and instruction.
You can use search action if search is available.
You can click one of the buttons in clickables.
An action should be of the following structure:
search[keywords]
click[value]
If the action is not valid, perform nothing.
Keywords in search are up to you, but the value in click must be a value in the list of available actions.
Remember that your keywords in search should be carefully designed.
Your response should use the following format:

Thought:
I think ...

Action:
click[something]
`;

const FORMAT_REMINDER = `Invalid action. An action should be of the following structure:
search[keywords]
click[value]
Keywords in search are up to you, but the value in click must be a value in the list of available actions. Take one action per turn, using the following format:

Thought:
I think ...

Action:
click[something]`;

const ACTIONS_HEADER = '\n\nAvailable Actions:\n';
const PAGE_LIMIT = 2500;

function formatObservation(observation: string): string {
  const split = observation.lastIndexOf(ACTIONS_HEADER);
  const page = split === -1 ? observation : observation.slice(0, split);
  const rest = split === -1 ? '' : observation.slice(split);
  return 'Observation:\n' + truncate(page, PAGE_LIMIT, ' [SEP] ... [truncated]') + rest;
}

function fail(thought: string, error: string): ParseResult {
  return { ok: false, thought, error, observation: FORMAT_REMINDER };
}

/** A line that starts with an action (after an optional "Action:" label); text after its "]" is ignored. */
const ACTION_LINE = /^[^\w\n]*(?:Action[*\s]*:[*\s]*)?(search|click)\s*\[(.*)\]/i;

function parse(text: string): ParseResult {
  const lines = text.split('\n');
  const found = lines.flatMap((l, index) => {
    const m = ACTION_LINE.exec(l.trim());
    return m ? [{ index, name: m[1].toLowerCase(), value: m[2].trim() }] : [];
  });
  const label = lines.findIndex((l) => /^[^\w\n]*Action[*\s]*:/i.test(l));
  const end = Math.min(...[found[0]?.index, label].filter((i): i is number => i !== undefined && i >= 0), lines.length);
  const thought = stripLabel(lines.slice(0, end).join('\n'), 'Thought');
  if (found.length > 1) return fail(thought, `${found.length} actions: take one action per turn`);
  if (found.length === 0) {
    return fail(thought, label >= 0 ? 'the Action is neither search[...] nor click[...]' : 'no "Action:" with search[...] or click[...]');
  }
  const { name, value } = found[0];
  if (value === '') return fail(thought, `${name}[] is empty`);
  return { ok: true, thought, action: { type: 'tool', name, args: value } };
}

export const shopProtocol: Protocol = {
  id: 'shop',
  env: 'shop',
  maxTurns: 10,
  observationLimit: PAGE_LIMIT,
  systemPrompt: () => INSTRUCTION,
  examples: [
    { role: 'assistant', content: 'Ok.' },
    {
      role: 'user',
      content:
        'Observation:\nWebShop [SEP] Instruction: [SEP] i need a bamboo cutting board with juice groove, large size, and price lower than 40.00 dollars [SEP] Search\n\nAvailable Actions:\n{"has_search_bar": true, "clickables": ["search"]}',
    },
    {
      role: 'assistant',
      content: 'Thought:\nI think I should use the search bar to look for the product I need.\n\nAction:\nsearch[bamboo cutting board juice groove large]',
    },
    {
      role: 'user',
      content:
        'Observation:\nInstruction: [SEP] i need a bamboo cutting board with juice groove, large size, and price lower than 40.00 dollars [SEP] Back to Search [SEP] Page 1 (Total results: 3) [SEP] B07K2QX1 [SEP] Organic Bamboo Cutting Board with Juice Groove, Set of 3 [SEP] $29.99 [SEP] B08TY5L2 [SEP] Acacia Wood Serving Board [SEP] $45.00 [SEP] B09MC3R8 [SEP] Plastic Chopping Mat, 4 Pack [SEP] $12.50\n\nAvailable Actions:\n{"has_search_bar": false, "clickables": ["back to search", "b07k2qx1", "b08ty5l2", "b09mc3r8"]}',
    },
    {
      role: 'assistant',
      content: 'Thought:\nI think I should click on the bamboo board with a juice groove, which is B07K2QX1.\n\nAction:\nclick[b07k2qx1]',
    },
    {
      role: 'user',
      content:
        'Observation:\nInstruction: [SEP] i need a bamboo cutting board with juice groove, large size, and price lower than 40.00 dollars [SEP] Back to Search [SEP] < Prev [SEP] size [SEP] small [SEP] medium [SEP] large [SEP] Organic Bamboo Cutting Board with Juice Groove, Set of 3 [SEP] Price: $29.99 [SEP] Rating: 4.5 [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now\n\nAvailable Actions:\n{"has_search_bar": false, "clickables": ["back to search", "< prev", "small", "medium", "large", "description", "features", "reviews", "buy now"]}',
    },
    { role: 'assistant', content: "Thought:\nI think I should click on the 'large' option to select the size I need.\n\nAction:\nclick[large]" },
    {
      role: 'user',
      content:
        'Observation:\nInstruction: [SEP] i need a bamboo cutting board with juice groove, large size, and price lower than 40.00 dollars [SEP] Back to Search [SEP] < Prev [SEP] size [SEP] small [SEP] medium [SEP] large [SEP] Organic Bamboo Cutting Board with Juice Groove, Set of 3 [SEP] Price: $29.99 [SEP] Rating: 4.5 [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now\n\nAvailable Actions:\n{"has_search_bar": false, "clickables": ["back to search", "< prev", "small", "medium", "large", "description", "features", "reviews", "buy now"]}',
    },
    { role: 'assistant', content: "Thought:\nI think I should click on the 'Buy Now' button to purchase the product.\n\nAction:\nclick[buy now]" },
  ],
  taskMessage: formatObservation,
  parse,
  formatObservation,
};
