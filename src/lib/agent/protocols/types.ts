import type { Action, EnvId } from '../../tasks/types';
import type { ChatMessage } from '../template';

/** A tool as the ReAct / ToolBench system prompts list it. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON-schema-like parameter list. */
  parameters: { name: string; type: string; description: string }[];
  required: string[];
}

/**
 * `strict`: as the original harness ran it, including where it ended an episode (an unparsable reply may end it with
 * reward 0) and its scoring. `lenient`: the demo's behaviour (lenient parsing, a format reminder and another try).
 * Both show the model the same prompts and observations.
 */
export type EpisodeMode = 'strict' | 'lenient';
export const DEFAULT_EPISODE_MODE: EpisodeMode = 'lenient';

export type ParseResult =
  | { ok: true; thought: string; action: Action }
  | {
      ok: false;
      thought: string;
      /** Short description of what was wrong, for the trace. */
      error: string;
      /** What the model is told, in the environment's own words (e.g. the expected format). */
      observation: string;
      /** Strict mode: the original harness ends the episode here, with reward 0. */
      endsEpisode?: boolean;
    };

export interface Protocol {
  id: string;
  env: EnvId | 'react' | 'toolbench';
  maxTurns: number;
  /** Max characters of one observation before it is cut with a visible marker. */
  observationLimit: number;
  systemPrompt(options?: { tools?: ToolSpec[] }): string;
  /**
   * In-context turns that sit between the system prompt and the task message, as the original
   * benchmark injects them (e.g. the DB task's "Ok." reply, the OS and KG one-shot trajectories).
   * Part of the fixed prompt prefix: never cut by the context budget.
   */
  examples?: ChatMessage[];
  /** Wraps the environment's task text as the first user message. */
  taskMessage(taskText: string): string;
  /**
   * `tools` (ReAct / ToolBench) lets the parser reject a tool that is not offered; without it any
   * tool name is accepted.
   */
  parse(assistantText: string, options?: { tools?: ToolSpec[]; mode?: EpisodeMode; turn?: number }): ParseResult;
  /** Formats an environment observation as the next user turn; `turn` (1-based) for formats that number steps. */
  formatObservation(observation: string, turn?: number): string;
  /** Stop strings beyond the model's own stop tokens (e.g. so the model cannot invent an observation). */
  stop?: string[];
  /**
   * A user turn added after the history on the last turn only (`maxTurns`), in both modes: lagent's ReAct appends
   * `FORCE_STOP_PROMPT_EN` as a system message when `turn == max_turn - 1`. Not kept in the history.
   */
  lastTurnMessage?: string;
  /**
   * Text the harness writes at the start of each assistant turn, before the model continues it (HotpotQA's
   * `Thought {n}:`): it ends the prompt, and the turn in the history is this prefix plus the generation, which is
   * also what `parse` reads. Expert turns are written whole, prefix included.
   */
  assistantPrefix?(turn: number): string;
}
