/**
 * Tool use in lagent's ReAct protocol (InternLM/lagent v0.2.2 `lagent/agents/react.py`, the version of
 * InternLM's Agent-FLAN demo; fixture copy in tests/fixtures/agentbench/sources/lagent-v0.2.2): the English call
 * protocol with the tool list printed as Python's `str()` of lagent's tool descriptions, `Response:` results,
 * `Final Answer:` to end, at most 4 turns, the last one with the force-stop prompt.
 *
 * `strict`: ReActProtocol.parse and the executor's dispatch as they are (golden test:
 * tests/unit/golden-formats.test.ts against scripts/golden/react.py). lagent never ends an episode on a bad reply:
 * it answers NoAction's `Please follow the format` and goes on. `lenient` (the demo) reads markdown labels and JSON
 * slips, and takes a plain-text reply as a direct answer (Agent-FLAN's hallucination negatives); its messages are
 * lagent's where lagent has one.
 * Not reproduced: a Python set's order in "unknown arguments: {...}" (hash-seeded; printed here in the order
 * given), and a tool name with two dots, on which lagent's executor raises.
 *
 * Environment contract: the tools env receives `{type:'tool', name, args: {...}}` and returns the
 * tool's result text (or its error message); this formatter adds "Response:".
 */
import type { EpisodeMode, ParseResult, Protocol, ToolSpec } from './types';
import { parseLenientJson, pyRepr } from './text';
import { isBareThought, readArgs, scanToolCall } from './tool-call';

const PARAMETER_DESCRIPTION =
  'If you call this tool, you must pass arguments in the JSON format {key: value}, where the key is the parameter name.';

function toolDescription(tools: ToolSpec[]): string {
  return pyRepr(
    tools.map((t) => ({
      name: t.name,
      description: t.description,
      parameters: t.parameters.map((p) => ({ name: p.name, type: p.type, description: p.description })),
      required: t.required,
      parameter_description: PARAMETER_DESCRIPTION,
    })),
  );
}

function systemPrompt(options: { tools?: ToolSpec[] } = {}): string {
  const tools = options.tools ?? [];
  // lagent fills `[{action_names}]` with a Python list, so the model saw the names in double
  // brackets; kept as trained.
  return `You are a assistant who can utilize external tools.
${toolDescription(tools)}
To use a tool, please use the following format:
\`\`\`
Thought:Think what you need to solve, do you need to use tools?
Action:the tool name, should be one of [${pyRepr(tools.map((t) => t.name))}]
Action Input:the input to the action
\`\`\`
The response after utilizing tools should using the following format:
\`\`\`
Response:the results after call the tool.
\`\`\`
If you already know the answer, or you do not need to use tools,
please using the following format to reply:
\`\`\`
Thought:the thought process to get the final answer
Final Answer:final answer
\`\`\`
Begin!`;
}

// react.py:172-187 format_response: `Response:` + result (or errmsg) + `\n`. No cut: lagent has none.
const formatObservation = (result: string): string => 'Response:' + result + '\n';

// lagent v0.2.2 actions/builtin_actions.py: NoAction / InvalidAction default messages (not in the fixture sources;
// quoted from the tag, see the header).
const NO_ACTION = 'Please follow the format';
const INVALID_ACTION = 'The action is invalid, please check the action name.';

function fail(thought: string, error: string, message: string): ParseResult {
  return { ok: false, thought, error, observation: formatObservation(message) };
}

/** Python's `str()` of a set of names, in the order given (Python's own order depends on the hash seed). */
const pySet = (names: string[]) => `{${names.map((n) => pyRepr(n)).join(', ')}}`;

type Args = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

/** The argument checks of lagent's JsonParser.parse_inputs (actions/parser.py): unknown names first, then missing. */
function checkArgs(args: Record<string, unknown>, tool: ToolSpec): Args {
  const known = tool.parameters.map((p) => p.name);
  const unknown = Object.keys(args).filter((k) => !known.includes(k));
  if (unknown.length > 0) return { ok: false, error: `unknown arguments: ${pySet(unknown)}` };
  const missing = tool.required.filter((k) => !(k in args));
  if (missing.length > 0) return { ok: false, error: `missing required arguments: ${pySet(missing)}` };
  return { ok: true, args };
}

/** JsonParser.parse_inputs: an optional ```json fence, json.loads, then the checks. */
function jsonParserInputs(input: string, tool: ToolSpec): Args {
  const fenced = /^\s*(```json\n)?([\s\S]*)\n```\s*$/.exec(input);
  const text = fenced ? fenced[2].trim() : input;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: `invalid json format: ${text}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: `invalid json format: ${text}` };
  return checkArgs(value as Record<string, unknown>, tool);
}

/**
 * lagent's ReActProtocol.parse (react.py:131-170) and the ActionExecutor's dispatch: `Final Answer:` anywhere wins
 * (the text after its last occurrence); otherwise the last `Action:...\n` and everything after the first
 * `Action Input:`; neither gives NoAction. An unknown tool gets InvalidAction, whose message is the action input
 * itself when there is one.
 */
function parseStrict(message: string, tools: ToolSpec[] | undefined): ParseResult {
  const thought = message.split('Action:')[0].split('Thought:').at(-1)!.split('Final Answer:')[0];
  if (message.includes('Final Answer:')) {
    return { ok: true, thought: thought.trim(), action: { type: 'final', answer: message.split('Final Answer:').at(-1)!.trim() } };
  }
  const actions = [...message.matchAll(/Action:(.*?)\n/g)];
  const input = /Action Input:([\s\S]*)/.exec(message);
  if (actions.length === 0 || !input) return fail(thought.trim(), 'no "Action:" line with "Action Input:"', NO_ACTION);
  const name = actions.at(-1)![1].trim();
  const command = input[1].trim().replace(/^"+|"+$/g, '');
  const tool = tools?.find((t) => t.name === name);
  if (tools && !tool) return fail(thought.trim(), `unknown tool "${name}"`, command || INVALID_ACTION);
  if (!tool) {
    const value = parseLenientJson(command);
    const args = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { input: command };
    return { ok: true, thought: thought.trim(), action: { type: 'tool', name, args } };
  }
  const args = jsonParserInputs(command, tool);
  if (!args.ok) return fail(thought.trim(), args.error, args.error);
  return { ok: true, thought: thought.trim(), action: { type: 'tool', name, args: args.args } };
}

/** The demo's reading: labels in markdown, JSON slips and a plain-text reply (a direct answer) are accepted. */
function parseLenient(text: string, tools: ToolSpec[] | undefined): ParseResult {
  const scan = scanToolCall(text, /^[^\w\n]*Response\s*:/im);
  const { thought } = scan;
  switch (scan.kind) {
    case 'final':
      return { ok: true, thought, action: { type: 'final', answer: scan.answer } };
    case 'many':
      return fail(thought, `${scan.count} actions in one turn`, NO_ACTION);
    case 'none': {
      const answer = text.trim();
      // A bare "Thought: ..." is a plan, not an answer.
      if (answer === '' || isBareThought(text)) return fail(thought, 'no Action and no Final Answer', NO_ACTION);
      return { ok: true, thought: '', action: { type: 'final', answer } };
    }
    case 'call': {
      const tool = tools?.find((t) => t.name === scan.name);
      if (tools && !tool) return fail(thought, `unknown tool "${scan.name}"`, INVALID_ACTION);
      if (scan.name === '') return fail(thought, 'empty Action', NO_ACTION);
      const value = scan.input === undefined ? undefined : parseLenientJson(scan.input);
      const json = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
      const args = tool && json ? checkArgs(json, tool) : readArgs(scan.input, tool);
      if (!args.ok) return fail(thought, args.error, args.error);
      return { ok: true, thought, action: { type: 'tool', name: scan.name, args: args.args } };
    }
  }
}

function parse(text: string, options: { tools?: ToolSpec[]; mode?: EpisodeMode } = {}): ParseResult {
  return options.mode === 'strict' ? parseStrict(text, options.tools) : parseLenient(text, options.tools);
}

export const reactProtocol: Protocol = {
  id: 'react',
  env: 'tools',
  // react.py:209 max_turn=4; the last turn's prompt ends with FORCE_STOP_PROMPT_EN (react.py:54-55, 127-128, 232).
  maxTurns: 4,
  observationLimit: 2000,
  systemPrompt,
  taskMessage: (request) => request,
  parse,
  formatObservation,
  stop: ['\nResponse:'],
  lastTurnMessage: 'You should directly give results\n based on history information.',
};
