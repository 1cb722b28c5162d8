/**
 * Tool use in lagent's ReAct protocol (InternLM/lagent v0.2 `lagent/agents/react.py`, the version of
 * InternLM's Agent-FLAN demo): the English call protocol with the tool list printed as Python's
 * `str()` of lagent's tool descriptions, `Response:` results, `Final Answer:` to end.
 * A turn with no action at all is a direct answer (Agent-FLAN's hallucination negatives: when no
 * listed tool fits, the right reply is plain text).
 *
 * Environment contract: the tools env receives `{type:'tool', name, args: {...}}` and returns the
 * tool's result text (or its error message); this formatter adds "Response:".
 */
import type { ParseResult, Protocol, ToolSpec } from './types';
import { pyRepr, truncate } from './text';
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

const formatObservation = (result: string): string => 'Response:' + truncate(result, 2000, '... [truncated]') + '\n';

function fail(thought: string, error: string, message: string): ParseResult {
  return { ok: false, thought, error, observation: formatObservation(message) };
}

const FOLLOW_FORMAT =
  'Please follow the format: "Thought:" then "Action:" with the tool name and "Action Input:" with the arguments as JSON, or "Final Answer:" with the final answer.';

function parse(text: string, options: { tools?: ToolSpec[] } = {}): ParseResult {
  const scan = scanToolCall(text, /^[^\w\n]*Response\s*:/im);
  const { thought } = scan;
  switch (scan.kind) {
    case 'final':
      return { ok: true, thought, action: { type: 'final', answer: scan.answer } };
    case 'many':
      return fail(thought, `${scan.count} actions in one turn`, 'Take one action per turn. ' + FOLLOW_FORMAT);
    case 'none': {
      const answer = text.trim();
      // A bare "Thought: ..." is a plan, not an answer.
      if (answer === '' || isBareThought(text)) return fail(thought, 'no Action and no Final Answer', FOLLOW_FORMAT);
      return { ok: true, thought: '', action: { type: 'final', answer } };
    }
    case 'call': {
      const tools = options.tools;
      const tool = tools?.find((t) => t.name === scan.name);
      if (tools && !tool) {
        return fail(
          thought,
          `unknown tool "${scan.name}"`,
          `The action is invalid, please check the action name. Valid tools: ${tools.map((t) => t.name).join(', ')}.`,
        );
      }
      if (scan.name === '') return fail(thought, 'empty Action', FOLLOW_FORMAT);
      const args = readArgs(scan.input, tool);
      if (!args.ok) return fail(thought, args.error, args.error);
      return { ok: true, thought, action: { type: 'tool', name: scan.name, args: args.args } };
    }
  }
}

export const reactProtocol: Protocol = {
  id: 'react',
  env: 'tools',
  maxTurns: 10,
  observationLimit: 2000,
  systemPrompt,
  taskMessage: (request) => request,
  parse,
  formatObservation,
  stop: ['\nResponse:'],
};
