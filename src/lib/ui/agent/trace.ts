/**
 * Turns the agent loop's events into the steps the trace shows: pure, so it is unit-tested without a DOM.
 */
import type { AgentEvent, DoneReason } from '../../agent/events';
import { isSuccess } from '../../agent/record';
import type { EpisodeMode } from '../../agent/protocols/types';
import type { Action } from '../../tasks/types';
import type { CodeLanguage } from '../highlight';

export type TraceKind = 'thought' | 'action' | 'observation' | 'final' | 'error' | 'stopped';

export interface ActionView {
  /** Short label: `bash`, `SQL`, `Calculator`, `answer`... */
  label: string;
  code: string;
  language: CodeLanguage;
}

export type TraceStep =
  | { id: number; turn: number; kind: 'thought'; text: string }
  | { id: number; turn: number; kind: 'action'; action: ActionView }
  | { id: number; turn: number; kind: 'observation'; text: string; parseError?: string }
  | { id: number; turn: number; kind: 'error'; text: string }
  /** The reply the model was writing when it was stopped. */
  | { id: number; turn: number; kind: 'stopped'; text: string; tokens: number }
  | { id: number; turn: number; kind: 'final'; answer: string | null; reason: DoneReason; reward: number; success: boolean; mode: EpisodeMode };

export interface EpisodeOutcome {
  reason: DoneReason;
  reward: number;
  steps: number;
  /** Full reward through a real end of the episode (not stopped, not out of turns). */
  success: boolean;
  /** The rules it ran under (the gallery and booth run `lenient`). */
  mode: EpisodeMode;
}

const TOOL_LANGUAGE: Record<string, CodeLanguage> = { bash: 'bash', sql: 'sql', SQL: 'sql', JavaScript: 'javascript' };

/** How an action reads in the trace: its code (bash, SQL, JS) highlighted, other calls in their own syntax. */
export function describeAction(action: Action): ActionView {
  if (action.type === 'finish') return { label: 'finish', code: 'finish', language: 'text' };
  if (action.type === 'final') return { label: 'answer', code: [action.answer].flat().join(', '), language: 'text' };
  const { name, args } = action;
  if (typeof args === 'string') return { label: name, code: args, language: TOOL_LANGUAGE[name] ?? 'text' };
  if (Array.isArray(args)) return { label: name, code: `${name}(${args.join(', ')})`, language: 'text' };
  const values = Object.values(args);
  // A code tool's single argument (JavaScript `code`, SQL `query`) reads best as the code itself.
  if (TOOL_LANGUAGE[name] && values.length === 1 && typeof values[0] === 'string') {
    return { label: name, code: values[0], language: TOOL_LANGUAGE[name] };
  }
  return { label: name, code: JSON.stringify(args, null, 2), language: 'json' };
}

/** Accumulates trace steps from agent events; `apply` returns whether the trace changed. */
export class TraceBuilder {
  readonly steps: TraceStep[] = [];
  outcome: EpisodeOutcome | null = null;
  private nextId = 1;
  private pendingParseError: string | undefined;
  private answer: string | null = null;
  private lastObservation = '';

  apply(event: AgentEvent): boolean {
    const id = this.nextId;
    switch (event.type) {
      case 'thought':
        this.steps.push({ id, turn: event.turn, kind: 'thought', text: event.text });
        break;
      case 'action':
        this.steps.push({ id, turn: event.turn, kind: 'action', action: describeAction(event.action) });
        break;
      case 'stopped':
        this.steps.push({ id, turn: event.turn, kind: 'stopped', text: event.text, tokens: event.tokens });
        break;
      case 'error':
        if (event.kind === 'parse') {
          this.pendingParseError = event.message;
          return false;
        }
        this.steps.push({ id, turn: event.turn, kind: 'error', text: `${event.kind} error: ${event.message}` });
        break;
      case 'observation':
        this.steps.push({
          id,
          turn: event.turn,
          kind: 'observation',
          text: event.raw ?? event.text,
          ...(event.source === 'parse-error' && { parseError: this.pendingParseError ?? 'the reply did not follow the format' }),
        });
        this.pendingParseError = undefined;
        this.lastObservation = event.raw ?? event.text;
        break;
      case 'final':
        this.answer = namedAnswer([event.answer].flat().join(', '), this.lastObservation);
        return false;
      case 'done': {
        const success = isSuccess(event.reason, event.reward);
        this.outcome = { reason: event.reason, reward: event.reward, steps: event.steps, success, mode: event.mode };
        this.steps.push({ id, turn: event.steps, kind: 'final', answer: this.answer, reason: event.reason, reward: event.reward, success, mode: event.mode });
        break;
      }
      default:
        return false;
    }
    this.nextId++;
    return true;
  }
}

/** The trace a record shows (the same steps the live view built while it ran). */
export function traceOf(events: readonly AgentEvent[]): { steps: TraceStep[]; outcome: EpisodeOutcome | null } {
  const trace = new TraceBuilder();
  for (const e of events) trace.apply(e);
  return { steps: trace.steps, outcome: trace.outcome };
}

/**
 * An answer that names a variable (AgentBench KG's `#2`) with what the environment said it stands for: its
 * observation reads `Final Answer: #2 = [entity, ...]`.
 */
export function namedAnswer(answer: string, observation: string): string {
  const variable = /^#\s*\d+$/.exec(answer.trim());
  if (!variable) return answer;
  const m = /^Final Answer: (#\d+) = \[(.*)\]$/s.exec(observation.trim());
  return m && m[1] === answer.trim().replace(/\s+/g, '') ? `${m[1]} = ${m[2]}` : answer;
}

/** How the result names the rules an episode ran under. */
export const MODE_TEXT: Record<EpisodeMode, { label: string; title: string }> = {
  lenient: {
    label: 'lenient mode',
    title: 'Lenient mode (the demo): a reply the original harness could not read gets a format reminder and another try; the prompts and observations are the original ones.',
  },
  strict: {
    label: 'strict mode',
    title: 'Strict mode: parsed, ended and scored as the original AgentBench harness did.',
  },
};

export const REASON_TEXT: Record<DoneReason, string> = {
  final: 'gave a final answer',
  finish: 'said it is done',
  'env-done': 'the environment ended the episode',
  'max-turns': 'ran out of turns',
  'repeated-action': 'repeated the same action three times',
  interrupted: 'stopped',
  'context-full': 'ran out of context',
  'format-error': 'gave a reply the original harness could not parse (strict mode)',
  error: 'ended on an error',
};
