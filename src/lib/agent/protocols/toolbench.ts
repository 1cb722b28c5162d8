/**
 * ToolBench / ToolLLaMA format (OpenBMB/ToolBench: `toolbench/inference/Prompts/ReAct_prompts.py`,
 * `toolbench/utils.py` process_system_message, `toolbench/inference/Downstream_tasks/rapidapi.py`): the AutoGPT system
 * prompt with the ReAct format line inserted, the numbered tool list, the functions printed as Python's `str()` of
 * ToolBench's OpenAI-style function JSON with the `Finish` function appended, each of our tools presented as one
 * RapidAPI tool with one API: named `{api}_for_{tool}` after `standardize` / `change_name`, described and typed as
 * `api_json_to_openai_json` does (rapidapi.py:185-266). Observations are the tool server's `{"error": "",
 * "response": ...}` as Python's `json.dumps` writes it, and the whole string is cut at 1024 characters plus "..."
 * (rapidapi.py:280-284; 1024 is ToolBench's default --max_observation_length). A called name matches the first
 * function whose name ends with it (rapidapi.py:322-323); `Finish` is answered as `_step` answers it
 * (rapidapi.py:301-327). Golden test: tests/unit/golden-toolbench.test.ts against scripts/golden/toolbench.py.
 *
 * Both modes read a reply the same way: ToolBench's own reply parser (toolbench/inference/utils.py react_parser) is
 * not in the fixture sources, so the lenient reading of `Thought:` / `Action:` / `Action Input:` applies, and
 * ToolBench never ends an episode on a bad reply. A turn with no action is a direct answer (ToolBench negatives in
 * Agent-FLAN). Not reproduced: what the RapidAPI server answers (our tools answer instead), `example_value` (our
 * tools have no defaults), and the cut of a description by code points (JavaScript cuts by UTF-16 units).
 *
 * Environment contract: the tools env receives `{type:'tool', name, args: {...}}` with our tool's own name and
 * parameter names, and returns the result text; this formatter wraps it as the server's JSON.
 */
import type { ParseResult, Protocol, ToolSpec } from './types';
import { parseLenientJson, pyJsonDumps, pyRepr } from './text';
import { isBareThought, readArgs, scanToolCall } from './tool-call';

const FINISH_FUNCTION = {
  name: 'Finish',
  description:
    'If you believe that you have obtained a result that can answer the task, please call this function to provide the final answer. Alternatively, if you recognize that you are unable to proceed with the task in the current state, call this function to restart. Remember: you must ALWAYS call this function at the end of your attempt, and the only part that will be shown to the user is the final answer, so it should contain sufficient information.',
  parameters: {
    type: 'object',
    properties: {
      return_type: { type: 'string', enum: ['give_answer', 'give_up_and_restart'] },
      final_answer: {
        type: 'string',
        description: 'The final answer you want to give the user. You should have this field if "return_type"=="give_answer"',
      },
    },
    required: ['return_type'],
  },
};

/** toolbench/utils.py:44-64 standardize. */
export function standardize(name: string): string {
  let out = name.replace(/[^\u4e00-\u9fa5^a-zA-Z0-9_]/g, '_').replace(/(_)\1+/g, '_').toLowerCase();
  out = out.replace(/^_+/, '').replace(/_+$/, '');
  return /^\d/.test(out) ? 'get_' + out : out;
}

/** toolbench/utils.py:66-70 change_name. */
const changeName = (name: string) => (['from', 'class', 'return', 'false', 'true', 'id', 'and'].includes(name) ? 'is_' + name : name);

/** rapidapi.py:199-203 map_type; any other type is "string". */
const MAP_TYPE: Record<string, string> = { NUMBER: 'integer', STRING: 'string', BOOLEAN: 'boolean' };
const DESCRIPTION_MAX = 256;

/** rapidapi.py:206-207: `{api}_for_{tool}`, its last 64 characters. Our tool is its own one API. */
export const functionName = (tool: ToolSpec) => `${changeName(standardize(tool.name))}_for_${standardize(tool.name)}`.slice(-64);
const paramName = (name: string) => changeName(standardize(name));

/** rapidapi.py:185-266 api_json_to_openai_json, for a tool whose parameters have no default. */
function functionJson(tool: ToolSpec) {
  const name = functionName(tool);
  let description = `This is the subfunction for tool "${standardize(tool.name)}", you can use this tool.`;
  if (tool.description.trim() !== '') {
    const cut = tool.description.trim().replaceAll(tool.name, name).slice(0, DESCRIPTION_MAX);
    description += `The description of this function is: "${cut}"`;
  }
  const param = (p: ToolSpec['parameters'][number]) => [paramName(p.name), { type: MAP_TYPE[p.type] ?? 'string', description: p.description.slice(0, DESCRIPTION_MAX) }] as const;
  const required = tool.parameters.filter((p) => tool.required.includes(p.name));
  const optional = tool.parameters.filter((p) => !tool.required.includes(p.name));
  return {
    name,
    description,
    parameters: {
      type: 'object',
      // rapidapi.py:212 and 239: only when there are required parameters are any listed.
      properties: required.length > 0 ? Object.fromEntries([...required, ...optional].map(param)) : {},
      required: required.length > 0 ? required.map((p) => paramName(p.name)) : [],
      optional: required.length > 0 ? optional.map((p) => paramName(p.name)) : [],
    },
  };
}

function systemPrompt(options: { tools?: ToolSpec[] } = {}): string {
  const tools = options.tools ?? [];
  // rapidapi.py:119-128: one entry per tool name, its description's first 512 characters without line breaks.
  const described = new Map(tools.map((t) => [standardize(t.name), t.description]));
  const toolList = [...described].map(([name, d], k) => `${k + 1}.${name}: ${d.slice(0, 512).replace(/\n/g, '').trim() || 'None'}\n`).join('');
  return `You are AutoGPT, you can use many tools(functions) to do the following task.
First I will give you the task description, and your task start.
At each step, you need to give your thought to analyze the status now and what to do next, with a function call to actually excute your step. Your output should follow this format:
Thought:
Action
Action Input:

After the call, you will get the call result, and you are now in a new state.
Then you will analyze your status now, then decide what to do next...
After many (Thought-call) pairs, you finally perform the task, then you can give your finial answer.
Remember: 
1.the state change is irreversible, you can't go back to one of the former state, if you want to restart the task, say "I give up and restart".
2.All the thought is short, at most in 5 sentence.
3.You can do more then one trys, so if your plan is to continusly try some conditions, you can do one of the conditions per try.
Let's Begin!
Task description: You should use functions to help handle the real time user querys. Remember:
1.ALWAYS call "Finish" function at the end of the task. And the final answer should contain enough information to show to the user,If you can't handle the task, or you find that function calls always fail(the function is not valid now), use function Finish->give_up_and_restart.
2.Do not use origin tool names, use only subfunctions' names.
You have access of the following tools:
${toolList}
Specifically, you have access to the following APIs: ${pyRepr([...tools.map(functionJson), FINISH_FUNCTION])}`;
}

/** rapidapi.py:280-284: the observation string cut at max_observation_length (1024) plus "...". */
const cut = (observation: string) => (observation.length > 1024 ? observation.slice(0, 1024) + '...' : observation);

/** The tool server's reply as `json.dumps(response)` writes it (rapidapi.py:385). */
const formatObservation = (result: string): string => cut(pyJsonDumps({ error: '', response: result }));

function fail(thought: string, error: string, observation = cut(pyJsonDumps({ error, response: '' }))): ParseResult {
  return { ok: false, thought, error, observation };
}

/**
 * Finish arguments that are not JSON, most often a final answer with unescaped quotes: read the
 * fields by position, as ToolBench's own runner does.
 */
function scrapeFinish(input: string): Record<string, unknown> | undefined {
  const type = /["']return_type["']\s*:\s*["'](\w+)["']/.exec(input);
  const answer = /["']final_answer["']\s*:\s*["']([\s\S]*)["']\s*\}?\s*$/.exec(input.trim());
  if (!type && !answer) return undefined;
  return { ...(type && { return_type: type[1] }), ...(answer && { final_answer: answer[1] }) };
}

function parseFinish(thought: string, input: string | undefined): ParseResult {
  const parsed = input === undefined ? undefined : parseLenientJson(input);
  const value = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : input && scrapeFinish(input);
  if (!value) {
    // rapidapi.py:302-317: unreadable arguments read as {}, so "must have return_type".
    return fail(thought, 'Finish needs Action Input {"return_type": "give_answer", "final_answer": "..."}', '{error:"must have "return_type""}');
  }
  const { return_type: returnType, final_answer: finalAnswer } = value as Record<string, unknown>;
  // rapidapi.py:316-327, their (not quite JSON) texts as they are.
  if (returnType === undefined) return fail(thought, 'must have "return_type"', '{error:"must have "return_type""}');
  if (returnType === 'give_up_and_restart') return { ok: true, thought, action: { type: 'finish' } };
  if (returnType !== 'give_answer') return fail(thought, '"return_type" is not a valid choice', '{error:""return_type" is not a valid choice"}');
  if (finalAnswer === undefined) return fail(thought, 'must have "final_answer"', '{error:"must have "final_answer""}');
  const answer = typeof finalAnswer === 'string' ? finalAnswer : JSON.stringify(finalAnswer);
  return { ok: true, thought, action: { type: 'final', answer } };
}

/** The arguments under our tool's own parameter names (the model may use ToolBench's, e.g. is_from for from). */
function ownNames(args: Record<string, unknown>, tool: ToolSpec): Record<string, unknown> {
  const own = new Map(tool.parameters.map((p) => [paramName(p.name), p.name]));
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [own.get(k) ?? k, v]));
}

function parse(text: string, options: { tools?: ToolSpec[] } = {}): ParseResult {
  const scan = scanToolCall(text, /^[^\w\n]*Observation\s*:/im);
  const { thought } = scan;
  switch (scan.kind) {
    case 'final':
      return { ok: true, thought, action: { type: 'final', answer: scan.answer } };
    case 'many':
      return fail(thought, `${scan.count} actions in one turn: call one function per step`);
    case 'none': {
      const answer = text.trim();
      if (answer === '' || isBareThought(text)) {
        return fail(thought, 'no Action: call a function with "Action:" and "Action Input:", or Finish');
      }
      return { ok: true, thought: '', action: { type: 'final', answer } };
    }
    case 'call': {
      if (scan.name === 'Finish') return parseFinish(thought, scan.input);
      const tools = options.tools;
      if (scan.name === '') return fail(thought, `No such function name: ${scan.name}`);
      // rapidapi.py:322-323: the first function whose name ends with the called one.
      const tool = tools ? tools.find((t) => functionName(t).endsWith(scan.name)) : undefined;
      if (tools && !tool) return fail(thought, `No such function name: ${scan.name}`);
      const value = scan.input === undefined ? undefined : parseLenientJson(scan.input);
      const named = tool && value !== null && typeof value === 'object' && !Array.isArray(value) ? JSON.stringify(ownNames(value as Record<string, unknown>, tool)) : scan.input;
      const args = readArgs(named, tool);
      if (!args.ok) return fail(thought, args.error);
      return { ok: true, thought, action: { type: 'tool', name: tool?.name ?? scan.name, args: args.args } };
    }
  }
}

export const toolbenchProtocol: Protocol = {
  id: 'toolbench',
  env: 'tools',
  maxTurns: 12,
  observationLimit: 1024,
  systemPrompt,
  taskMessage: (query) => `\n${query}\nBegin!\n`,
  parse,
  formatObservation,
  stop: ['\nObservation:'],
};
