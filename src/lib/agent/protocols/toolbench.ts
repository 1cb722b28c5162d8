/**
 * ToolBench / ToolLLaMA format (OpenBMB/ToolBench: `toolbench/inference/Prompts/ReAct_prompts.py`,
 * `toolbench/utils.py` process_system_message, `Downstream_tasks/rapidapi.py`): the AutoGPT system
 * prompt with the ReAct format line inserted, the numbered tool list, the functions printed as
 * Python's `str()` of OpenAI-style function JSON with the `Finish` function appended.
 * `Finish` with `give_answer` is the final answer; `give_up_and_restart` ends the episode.
 * As with ReAct, a turn with no action is a direct answer (ToolBench negatives in Agent-FLAN).
 *
 * Environment contract: the tools env receives `{type:'tool', name, args: {...}}` and returns the
 * result text; this formatter wraps it as ToolBench's `{"error": "", "response": ...}`.
 */
import type { ParseResult, Protocol, ToolSpec } from './types';
import { parseLenientJson, pyRepr, truncate } from './text';
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

function functionJson(tool: ToolSpec) {
  return {
    name: tool.name,
    description: tool.description,
    parameters: {
      type: 'object',
      properties: Object.fromEntries(tool.parameters.map((p) => [p.name, { type: p.type, description: p.description }])),
      required: tool.required,
      optional: tool.parameters.map((p) => p.name).filter((n) => !tool.required.includes(n)),
    },
  };
}

function systemPrompt(options: { tools?: ToolSpec[] } = {}): string {
  const tools = options.tools ?? [];
  const toolList = tools.map((t, k) => `${k + 1}.${t.name}: ${t.description.replace(/\n/g, '').trim() || 'None'}\n`).join('');
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

function toolResult(error: string, response: string): string {
  return JSON.stringify({ error, response });
}

const formatObservation = (result: string): string => toolResult('', truncate(result, 2000, '...'));

function fail(thought: string, error: string): ParseResult {
  return { ok: false, thought, error, observation: toolResult(error, '') };
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
    return fail(thought, 'Finish needs Action Input {"return_type": "give_answer", "final_answer": "..."}');
  }
  const { return_type: returnType, final_answer: finalAnswer } = value as Record<string, unknown>;
  if (returnType === undefined) return fail(thought, 'must have "return_type"');
  if (returnType === 'give_up_and_restart') return { ok: true, thought, action: { type: 'finish' } };
  if (returnType !== 'give_answer') return fail(thought, '"return_type" is not a valid choice');
  if (finalAnswer === undefined) return fail(thought, 'must have "final_answer"');
  const answer = typeof finalAnswer === 'string' ? finalAnswer : JSON.stringify(finalAnswer);
  return { ok: true, thought, action: { type: 'final', answer } };
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
      const tool = tools?.find((t) => t.name === scan.name);
      if (tools && !tool) return fail(thought, `No such function name: ${scan.name}`);
      if (scan.name === '') return fail(thought, 'empty Action: name a function');
      const args = readArgs(scan.input, tool);
      if (!args.ok) return fail(thought, args.error);
      return { ok: true, thought, action: { type: 'tool', name: scan.name, args: args.args } };
    }
  }
}

export const toolbenchProtocol: Protocol = {
  id: 'toolbench',
  env: 'tools',
  maxTurns: 12,
  observationLimit: 2000,
  systemPrompt,
  taskMessage: (query) => `\n${query}\nBegin!\n`,
  parse,
  formatObservation,
  stop: ['\nObservation:'],
};
