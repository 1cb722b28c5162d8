/**
 * What `runEpisode` yields, in order. Every event but `token` is part of the episode's record (record.ts): the
 * one persisted, replayable account of an episode, from which the trace, the context budget's pairs, the
 * transcript and the replay CLI's output are all derived.
 */
import type { GenerateTimings, StopReason } from '../engine/types';
import type { Action, EnvId, TaskSpec } from '../tasks/types';
import type { EpisodeMode, ToolSpec } from './protocols/types';
import type { ChatMessage } from './template';

/** What generated the turns: the engine kind (`local`, `tgi`, `openai`, `scripted`) and the model it ran. */
export interface EpisodeModel {
  engine: string;
  id: string;
  dtype?: string;
  device?: string;
}

export interface EpisodeSampling {
  temperature: number;
  topP: number;
  maxNewTokens: number;
  seed?: number;
}

export type DoneReason =
  /** The model gave a final answer and the environment accepted it (and scored it). */
  | 'final'
  /** The model said it is done without an answer (OS `Act: finish`, ToolBench give_up_and_restart). */
  | 'finish'
  /** The environment ended the episode after a tool action (e.g. WebShop's Buy Now). */
  | 'env-done'
  | 'max-turns'
  /** The same action three turns in a row; the third is not run. */
  | 'repeated-action'
  | 'interrupted'
  /** Even with every cut, the prompt leaves no room to generate, or it passed the harness's own limit (Protocol.halts). */
  | 'context-full'
  /** Strict mode: a reply the original harness could not parse ended the episode (reward 0). */
  | 'format-error'
  /** The engine or the environment threw; the error event before this one says what. */
  | 'error';

export type AgentEvent =
  /** First event: everything needed to run the episode again. */
  | {
      type: 'start';
      /** Record format version. */
      record: 1;
      env: EnvId;
      task: TaskSpec;
      protocol: string;
      mode: EpisodeMode;
      tools?: ToolSpec[];
      model: EpisodeModel;
      sampling: EpisodeSampling;
      contextLength: number;
      /** ISO time the episode started. */
      at: string;
    }
  /** After the environment's reset: the fixed prompt prefix (system prompt, examples, task message). */
  | { type: 'task'; text: string; messages: ChatMessage[] }
  | {
      type: 'turn-start';
      turn: number;
      promptTokens: number;
      /** The most tokens this turn's reply may have (the setting, or less when the context leaves less room). */
      maxNewTokens: number;
      /** Observations shown truncated and pairs left out by the context budget this turn. */
      truncatedObservations: number;
      droppedPairs: number;
      /** The budget made a new cut this turn (the engine re-reads the prompt from that point). */
      cut: boolean;
    }
  /** `text` is the whole generation so far (not a delta). */
  | { type: 'token'; turn: number; text: string; tokens: number; tokensPerSecond: number }
  /**
   * A generation as it went into the history: `raw` is the engine's text, `text` the same without a trailing stop
   * string. Absent when the turn was interrupted.
   */
  | {
      type: 'reply';
      turn: number;
      raw: string;
      text: string;
      tokens: number;
      stopReason: StopReason;
      timings: GenerateTimings;
      /** Wall-clock milliseconds of the generation. */
      ms: number;
    }
  | { type: 'thought'; turn: number; text: string }
  /** The turn was stopped mid-reply: what the model had written by then (not parsed, not run). */
  | { type: 'stopped'; turn: number; text: string; tokens: number }
  | { type: 'action'; turn: number; action: Action }
  | {
      type: 'observation';
      turn: number;
      /** The user turn the model will read next (formatted by the protocol). */
      text: string;
      /** What the environment returned, before formatting; absent for parse errors. */
      raw?: string;
      source: 'env' | 'parse-error';
      /** The environment's verdict on the step (env observations only). */
      reward?: number;
      done?: boolean;
      /** Wall-clock milliseconds of the environment step (env observations only). */
      ms?: number;
    }
  | { type: 'final'; turn: number; answer: string | string[] }
  | { type: 'error'; turn: number; kind: 'parse' | 'env' | 'engine' | 'context'; message: string }
  | {
      type: 'done';
      reason: DoneReason;
      reward: number;
      /** Model turns taken. */
      steps: number;
      mode: EpisodeMode;
      /** The whole conversation, uncut: system prompt, examples, task, then every turn (`transcriptOf` the record). */
      transcript: ChatMessage[];
    };
