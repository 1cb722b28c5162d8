/**
 * The `Thought: / Action: / Action Input:` block shared by the lagent ReAct and ToolBench formats:
 * finding the one action, reading its JSON arguments leniently, and checking them against the
 * offered tools.
 */
import type { ToolSpec } from './types';
import { leadingLabel, parseLenientJson, stripLabel } from './text';

export type ToolCallScan =
  | { kind: 'none'; thought: string }
  | { kind: 'many'; thought: string; count: number }
  | { kind: 'call'; thought: string; name: string; input: string | undefined }
  | { kind: 'final'; thought: string; answer: string };

/**
 * Splits an assistant turn into thought and action. `response` is the label of a tool result, cut
 * off when the model starts inventing one (`Response:` in lagent, `Observation:` elsewhere).
 */
export function scanToolCall(raw: string, response: RegExp): ToolCallScan {
  const invented = response.exec(raw);
  const text = invented ? raw.slice(0, invented.index) : raw;
  const actions = [...text.matchAll(/^[^\w\n]*Action(?!\s*Input)[*\s]*:[ \t*]*(.*)$/gim)];
  const final = /^[^\w\n]*Final Answer[*\s]*:[ \t*]*/im.exec(text);
  const end = Math.min(actions[0]?.index ?? text.length, final?.index ?? text.length);
  const thought = stripLabel(text.slice(0, end), 'Thought');

  if (actions.length + (final ? 1 : 0) > 1) return { kind: 'many', thought, count: actions.length + (final ? 1 : 0) };
  if (final) return { kind: 'final', thought, answer: text.slice(final.index + final[0].length).trim() };
  if (actions.length === 0) return { kind: 'none', thought };

  const name = actions[0][1]
    .trim()
    .replace(/^[`'"]+|[`'".]+$/g, '')
    .trim();
  const input = /^[^\w\n]*Action\s*Input[*\s]*:[ \t*]*([\s\S]*)$/im.exec(text);
  const body = input?.[1].replace(/\n\s*End Action\s*$/i, '').trim();
  return { kind: 'call', thought, name, input: body };
}

/** A turn that is only a "Thought:" paragraph: a plan, not an answer. */
export function isBareThought(text: string): boolean {
  return leadingLabel('Thought').test(text);
}

export type ArgsResult = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

/**
 * Reads an Action Input as a JSON object. Text that is not JSON is accepted as the value of the
 * tool's only parameter (as lagent does); otherwise it is an error naming what was expected.
 */
export function readArgs(input: string | undefined, tool: ToolSpec | undefined): ArgsResult {
  if (input === undefined || input === '') {
    if (tool && tool.required.length === 0) return { ok: true, args: {} };
    return { ok: false, error: 'missing "Action Input:" with the arguments as a JSON object' };
  }
  const value = parseLenientJson(input);
  let args: Record<string, unknown>;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    args = value as Record<string, unknown>;
  } else if (tool && tool.parameters.length === 1) {
    const text = typeof value === 'string' ? value : input.replace(/^(["'`])([\s\S]*)\1$/, '$2');
    args = { [tool.parameters[0].name]: text };
  } else {
    return { ok: false, error: `invalid json format: ${input}` };
  }
  if (tool) {
    const missing = tool.required.filter((p) => !(p in args));
    if (missing.length > 0) {
      return { ok: false, error: `missing required parameter(s) ${missing.join(', ')} for ${tool.name}` };
    }
    const known = new Set(tool.parameters.map((p) => p.name));
    const unknown = Object.keys(args).filter((k) => !known.has(k));
    if (unknown.length > 0) {
      return {
        ok: false,
        error: `unknown parameter(s) ${unknown.join(', ')} for ${tool.name}; its parameters are ${[...known].join(', ') || 'none'}`,
      };
    }
  }
  return { ok: true, args };
}
