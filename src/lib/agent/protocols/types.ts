import type { Action, EnvId, TaskSpec } from '../../tasks/types';
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
      /** Strict mode: the original harness ends the episode here (reward 0 unless `submit` is scored). */
      endsEpisode?: boolean;
      /**
       * With `endsEpisode`: what the original harness judges when it stops here (AgentBench DB scores the answer
       * "" and, for a modifying task, the table; OS judges the answer None, as after `finish`). The loop runs it
       * through the environment for the reward; the model sees nothing more.
       */
      submit?: Action;
    };

export interface ParseOptions {
  /** ReAct / ToolBench: lets the parser reject a tool that is not offered; without it any tool name is accepted. */
  tools?: ToolSpec[];
  mode?: EpisodeMode;
  /** The reply's turn, 1-based (AgentBench DB reads only the answer of its last, `maxTurns`). */
  turn?: number;
}

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
  /** Examples that depend on the task (ALFWorld's per-task-type example); used instead of `examples`. */
  examplesFor?(task: TaskSpec): ChatMessage[];
  /** Wraps the environment's task text as the first user message. */
  taskMessage(taskText: string): string;
  parse(assistantText: string, options?: ParseOptions): ParseResult;
  /**
   * What the original harness keeps of a reply in its history, in both modes (AgentBench KG cuts it at
   * "Observation:"); the identity when absent.
   */
  historyText?(assistantText: string): string;
  /**
   * Strict mode: the original harness's own end for repeated outputs (ALFWorld: the same output three times in a
   * row, checked after the step ran), given every reply so far; it replaces the loop's generic repeat rule, which
   * strict mode does not apply.
   */
  endsOnRepeat?(outputs: readonly string[]): boolean;
  /**
   * The original harness's own halt, checked before each turn in both modes on the whole conversation so far
   * (HotpotQA: its prompt over 2000 cl100k tokens): why it halts there, or undefined. The episode ends with
   * reward 0, as there.
   */
  halts?(transcript: readonly ChatMessage[]): Promise<string | undefined>;
  /** Strict mode: what the original judges when the turns run out (OS: the answer None, as `finish`). */
  exhaustedAction?: Action;
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
