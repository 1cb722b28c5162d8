/**
 * The episode record: `runEpisode`'s events without the streaming `token` events, stored as JSONL (one event a
 * line, `start` first, `done` last). It is the one account of an episode: the trace, the context budget's pairs,
 * the transcript and the replay CLI's output are derived from it here, and replaying it (replay.ts) runs the same
 * loop again over its replies. `done.transcript` is derived, so a file leaves it out and `parseRecord` restores it.
 */
import type { Pair } from './context';
import type { AgentEvent, DoneReason } from './events';
import type { EpisodeMode } from './protocols/types';
import type { ChatMessage } from './template';

export type RecordEvent = Exclude<AgentEvent, { type: 'token' }>;
export type EpisodeRecord = RecordEvent[];
export type StartEvent = Extract<AgentEvent, { type: 'start' }>;
export type DoneEvent = Extract<AgentEvent, { type: 'done' }>;

export const RECORD_VERSION = 1;
/** File name suffix of a record (JSON Lines). */
export const RECORD_EXTENSION = '.episode.jsonl';

export function isRecorded(event: AgentEvent): event is RecordEvent {
  return event.type !== 'token';
}

const ENDED: DoneReason[] = ['final', 'finish', 'env-done'];

/** Full reward through a real end of the episode (not stopped, not out of turns). */
export function isSuccess(reason: DoneReason, reward: number): boolean {
  return ENDED.includes(reason) && reward >= 1;
}

/** Each reply with the user turn that answered it (an observation or a parse-error message), in order. */
export function pairsOf(events: readonly AgentEvent[]): Pair[] {
  return turnsOf(events).flatMap((t) => (t.observation === undefined ? [] : [{ assistant: t.assistant, observation: t.observation }]));
}

function turnsOf(events: readonly AgentEvent[]): { assistant: string; observation?: string }[] {
  const turns: { assistant: string; observation?: string }[] = [];
  for (const e of events) {
    if (e.type === 'reply') turns.push({ assistant: e.text });
    else if (e.type === 'observation' && turns.length > 0 && turns.at(-1)!.observation === undefined) turns.at(-1)!.observation = e.text;
  }
  return turns;
}

/** The whole conversation, uncut: the prompt prefix, then every reply and the user turn that answered it. */
export function transcriptOf(events: readonly AgentEvent[]): ChatMessage[] {
  const task = events.find((e) => e.type === 'task');
  return [
    ...(task?.messages ?? []),
    ...turnsOf(events).flatMap((t): ChatMessage[] => [
      { role: 'assistant', content: t.assistant },
      ...(t.observation === undefined ? [] : [{ role: 'user' as const, content: t.observation }]),
    ]),
  ];
}

/** The engine's text of every turn, in order: what a replay feeds the loop. */
export function repliesOf(events: readonly AgentEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'reply' ? [e.raw] : []));
}

export function startOf(events: readonly AgentEvent[]): StartEvent {
  const start = events[0];
  if (start?.type !== 'start') throw new RecordError('an episode record begins with its "start" event');
  return start;
}

export function doneOf(events: readonly AgentEvent[]): DoneEvent | undefined {
  const last = events.at(-1);
  return last?.type === 'done' ? last : undefined;
}

export interface RecordSummary {
  env: string;
  task: string;
  reason: DoneReason | 'unfinished';
  mode: EpisodeMode;
  reward: number;
  success: boolean;
  /** The episode reached an end the harness recognises: the environment's done, or a strict format error or repeat. */
  done: boolean;
  steps: number;
  /** The observations the model read, in order (formatted by the protocol). */
  observations: string[];
}

export function summarize(events: readonly AgentEvent[]): RecordSummary {
  const start = startOf(events);
  const done = doneOf(events);
  return {
    env: start.env,
    task: start.task.id,
    reason: done?.reason ?? 'unfinished',
    mode: start.mode,
    reward: done?.reward ?? 0,
    success: done ? isSuccess(done.reason, done.reward) : false,
    done: events.some((e) => e.type === 'observation' && e.done === true) || done?.reason === 'format-error' || done?.reason === 'repeated-action',
    steps: done?.steps ?? events.filter((e) => e.type === 'reply').length,
    observations: events.flatMap((e) => (e.type === 'observation' ? [e.text] : [])),
  };
}

export class RecordError extends Error {}

export function serializeRecord(events: readonly AgentEvent[]): string {
  return events
    .filter(isRecorded)
    .map((e) => JSON.stringify(e.type === 'done' ? { ...e, transcript: undefined } : e))
    .join('\n')
    .concat('\n');
}

const EVENT_TYPES = new Set(['start', 'task', 'turn-start', 'reply', 'thought', 'action', 'observation', 'final', 'error', 'done']);

/** Reads a record file; says which line is wrong and why. An unfinished record (no `done`) is accepted. */
export function parseRecord(text: string): EpisodeRecord {
  const events: EpisodeRecord = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let event: RecordEvent;
    try {
      event = JSON.parse(line);
    } catch (e) {
      throw new RecordError(`line ${i + 1} is not JSON (${(e as Error).message})`);
    }
    if (!event || typeof event !== 'object' || !EVENT_TYPES.has((event as { type?: string }).type ?? '')) {
      throw new RecordError(`line ${i + 1} is not an episode event (its "type" must be one of ${[...EVENT_TYPES].join(', ')})`);
    }
    events.push(event);
  });
  const start = events[0];
  if (start?.type !== 'start') throw new RecordError('this is not an episode record: its first line must be the "start" event');
  if (start.record !== RECORD_VERSION) throw new RecordError(`record version ${start.record} is not supported (this app reads version ${RECORD_VERSION})`);
  const done = doneOf(events);
  if (done) done.transcript = transcriptOf(events);
  return events;
}

/** The record without what the wall clock decides (start time, durations, speeds): equal for equal episodes. */
export function withoutClock(events: readonly AgentEvent[]): unknown[] {
  return events.filter(isRecorded).map((e) => {
    if (e.type === 'start') return { ...e, at: undefined };
    if (e.type === 'reply') return { ...e, ms: undefined, timings: { ...e.timings, prefillMs: undefined, ttftMs: undefined, decodeTokensPerSecond: undefined } };
    if (e.type === 'observation') return { ...e, ms: undefined };
    return e;
  });
}
