/**
 * WebShop as AgentBench runs it (THUDM/AgentTuning `AgentBench.old/src/tasks/webshop/__init__.py`, Apache-2.0): the
 * instruction as the first user turn, the model's "Ok.", the original one-shot (l'eau d'issey, its page texts in
 * quotes and its clickables elided to "..." as there, lines 46-55), then each round's
 * `Observation:\n{observation}\n\nAvailable Actions:\n{available_actions}` (lines 62-63), the actions printed as
 * Python prints the env's dict: `{'has_search_bar': False, 'clickables': [...]}`. At most 10 rounds (line 60).
 *
 * `strict`: the action is what `re.search(r"[Aa]ction: *\n *((search|click)\[.+?])", response)` finds (line 66);
 * when it finds nothing the harness ends the episode with reward 0 (lines 65-74), and so does the loop here
 * (golden test: tests/unit/golden-shop.test.ts against scripts/golden/shop.py). `lenient` (the demo) also reads an
 * action without the "Action:" line break or in markdown, and answers an unreadable reply with a format reminder of
 * ours and another try.
 *
 * Environment contract: `reset` and `step` return the page text with `[SEP]` separators, then
 * `"\n\nAvailable Actions:\n"` and the actions as JSON `{"has_search_bar": bool, "clickables": [...]}`; this
 * formatter prints that object as Python's `str()` of the dict. The pages are our store's (src/lib/tasks/shop): the
 * real WebShop site and its 1.18M products are not reproduced, and neither is anything its web_agent_site code
 * decides (not in the fixture sources), such as which clicks are valid on which page.
 * Actions: `{type:'tool', name:'search', args: keywords}` / `{type:'tool', name:'click', args: value}`.
 */
import type { EpisodeMode, ParseResult, Protocol } from './types';
import { pyRepr, stripLabel } from './text';

// Lines 13-34, the prompt string (its backslash-continued line joined).
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

/** Line 62-63: the observation and the available actions, the dict as Python's f-string prints it. */
function formatObservation(observation: string): string {
  const split = observation.lastIndexOf(ACTIONS_HEADER);
  if (split === -1) return 'Observation:\n' + observation;
  const json = observation.slice(split + ACTIONS_HEADER.length);
  let actions: string;
  try {
    actions = pyRepr(JSON.parse(json));
  } catch {
    actions = json;
  }
  return 'Observation:\n' + observation.slice(0, split) + ACTIONS_HEADER + actions;
}

function fail(thought: string, error: string): ParseResult {
  return { ok: false, thought, error, observation: FORMAT_REMINDER };
}

/** A line that starts with an action (after an optional "Action:" label); text after its "]" is ignored. */
const ACTION_LINE = /^[^\w\n]*(?:Action[*\s]*:[*\s]*)?(search|click)\s*\[(.*)\]/i;

function parseLenient(text: string): ParseResult {
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

/** Line 66, and line 72-74: no match ends the episode. */
const HARNESS_ACTION = /[Aa]ction: *\n *((search|click)\[(.+?)\])/;

function parseStrict(text: string): ParseResult {
  const m = HARNESS_ACTION.exec(text);
  const thought = stripLabel(m ? text.slice(0, m.index) : text, 'Thought');
  if (!m) {
    const error = 'no "Action:" line followed by search[...] or click[...]';
    return { ok: false, thought, error, observation: FORMAT_REMINDER, endsEpisode: true };
  }
  return { ok: true, thought, action: { type: 'tool', name: m[2], args: m[3] } };
}

function parse(text: string, options: { mode?: EpisodeMode } = {}): ParseResult {
  return options.mode === 'strict' ? parseStrict(text) : parseLenient(text);
}

export const shopProtocol: Protocol = {
  id: 'shop',
  env: 'shop',
  maxTurns: 10,
  observationLimit: 2500,
  systemPrompt: () => INSTRUCTION,
  examples: [
    { role: 'assistant', content: 'Ok.' },
    // Lines 48-55, verbatim.
    { role: 'user', content: "Observation:\n\"WebShop [SEP] Instruction: [SEP] i need a long lasting 6.76 fl oz bottle of l'eau d'issey, and price lower than 100.00 dollars [SEP] Search\"\n\nAvailable Actions:\n{\"has_search_bar\": true, \"clickables\": [\"...\"]}" },
    { role: 'assistant', content: "Thought:\nI think I should use the search bar to look for the product I need.\n\nAction:\nsearch[l'eau d'issey 6.76 fl oz bottle price < 100.00]" },
    { role: 'user', content: "Observation:\n\"Instruction: [SEP] i need a long lasting 6.76 fl oz bottle of l'eau d'issey, and price lower than 100.00 dollars [SEP] Back to Search [SEP] Page 1 (Total results: 50) [SEP] Next > [SEP] B000VOHH8I [SEP] L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle [SEP] $64.98 [SEP] B000MJZOPK [SEP] L'eau d'Issey by Issey Miyake for Women 3.3 oz Eau de Toilette Spray [SEP] $49.98 [SEP] B0012S249E [SEP] L'eau D'issey By Issey Miyake For Women. Shower Cream 6.7-Ounces [SEP] $31.36 [SEP] B01H8PGKZS [SEP] L'eau D'Issey FOR MEN by Issey Miyake - 6.7 oz EDT Spray [SEP] $67.97 [SEP] B00G3C8FHE [SEP] L'Eau d'Issey pour Homme - Eau de Toilette 4.2 fl oz [SEP] $51.25 [SEP] B000R94HRG [SEP] Issey Miyake L'Eau D'Issey Pour Homme Eau De Toilette Natural Spray [SEP] $44.99 [SEP] B000C214CO [SEP] Issey Miyake L'eau D'issey Eau de Toilette Spray for Men, 4.2 Fl Oz [SEP] $53.99 [SEP] B0018SBRDC [SEP] Issey Miyake L'eau d'Issey for Women EDT, White, 0.84 Fl Oz [SEP] $27.04 [SEP] B000XEAZ9Y [SEP] L'eau De Issey By Issey Miyake For Men. Eau De Toilette Spray 6.7 Fl Oz [SEP] $67.08 [SEP] B079HZR2RX [SEP] L'eau d'Issey Pure by Issey Miyake for Women 3.0 oz Nectar de Parfum Spray [SEP] $71.49\"\n\nAvailable Actions:\n{\"has_search_bar\": false, \"clickables\": [\"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\"]}" },
    { role: 'assistant', content: "Thought:\nI think I should click on the product I need, which is B000VOHH8I.\n\nAction:\nclick[B000VOHH8I]" },
    { role: 'user', content: "Observation:\n\"Instruction: [SEP] i need a long lasting 6.76 fl oz bottle of l'eau d'issey, and price lower than 100.00 dollars [SEP] Back to Search [SEP] < Prev [SEP] size [SEP] 2.5 fl oz [SEP] 6.76 fl oz (pack of 1) [SEP] L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle [SEP] Price: $64.98 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now\"\n\nAvailable Actions:\n{\"has_search_bar\": false, \"clickables\": [\"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\"]}" },
    { role: 'assistant', content: "Thought:\nI think I should click on the '6.76 fl oz (pack of 1)' option to select the size I need.\n\nAction:\nclick[6.76 fl oz (pack of 1)]" },
    { role: 'user', content: "Observation:\n\"Instruction: [SEP] i need a long lasting 6.76 fl oz bottle of l'eau d'issey, and price lower than 100.00 dollars [SEP] Back to Search [SEP] < Prev [SEP] size [SEP] 2.5 fl oz [SEP] 6.76 fl oz (pack of 1) [SEP] L'eau D'issey By Issey Miyake for MenEau De Toilette Spray, 6.7 Fl Oz Bottle [SEP] Price: $64.98 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now\"\n\nAvailable Actions:\n{\"has_search_bar\": false, \"clickables\": [\"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\", \"...\"]}" },
    { role: 'assistant', content: "Thought:\nI think I should click on the 'Buy Now' button to purchase the product.\n\nAction:\nclick[Buy Now]" },
  ],
  taskMessage: formatObservation,
  parse,
  formatObservation,
};
