import type { Action, StepResult, TaskEnvironment } from '../types';
import { seedSqlRandomness, type SqlDatabase } from '../../runtimes/sqlite';
import { FIXED_EPISODE, stepSeed, stepTime, type EpisodeSeed } from '../../runtimes/determinism';
import { capText } from '../../runtimes/output';
import { openDemoDatabase } from './demo-db';
import { answerMatches } from './score';
import { runTool, ToolArgumentError, type ToolName } from './toolkit';
import type { ToolsTask } from './tasks';

/**
 * ReAct tool use: `reset` returns the user's request; a tool action runs one of the task's offered
 * tools; the final answer ends the episode. Negatives score 1 only when answered with no tool call.
 */
export class ToolsEnvironment implements TaskEnvironment<ToolsTask> {
  readonly id = 'tools' as const;
  private task: ToolsTask | undefined;
  private db: SqlDatabase | undefined;
  private toolCalls = 0;
  private done = false;
  private episode = FIXED_EPISODE;

  /** `episode` seeds JavaScript's Math.random and SQL's random(), and sets their clock (its start + 1 s per tool call). */
  async reset(task: ToolsTask, episode: EpisodeSeed = FIXED_EPISODE): Promise<string> {
    this.task = task;
    this.episode = episode;
    this.toolCalls = 0;
    this.done = false;
    // A fresh demo database per episode: a previous task's UPDATE must not leak into this one.
    this.db?.close();
    this.db = undefined;
    return task.data.request;
  }

  async step(action: Action): Promise<StepResult> {
    const task = this.task;
    if (!task) throw new Error('The Tools environment has no task: call reset(task) first.');
    if (this.done) return { observation: 'The task is over; reset to start another.', done: true, reward: 0 };
    if (action.type === 'final') {
      this.done = true;
      const answer = [action.answer].flat().join(', ');
      const { expected } = task.data;
      if ('open' in expected) return { observation: 'Answer recorded (a free request has no reference answer).', done: true, reward: 0 };
      const passed = 'noTool' in expected ? this.toolCalls === 0 : answerMatches(answer, expected);
      return { observation: passed ? 'Correct.' : 'Incorrect.', done: true, reward: passed ? 1 : 0 };
    }
    if (action.type !== 'tool') {
      return { observation: 'Unsupported action: call a tool or give the Final Answer.', done: false, reward: 0 };
    }
    this.toolCalls++;
    const offered = task.data.tools.map((t) => t.name);
    if (!offered.includes(action.name)) {
      return { observation: `There is no tool named "${action.name}". Available tools: ${offered.join(', ')}.`, done: false, reward: 0 };
    }
    const args = typeof action.args === 'object' && !Array.isArray(action.args) ? action.args : { input: action.args };
    try {
      const step = this.toolCalls - 1;
      const determinism = { seed: stepSeed(this.episode, step), nowMs: stepTime(this.episode, step) };
      const output = await runTool(action.name as ToolName, args, { db: () => this.demoDb(), determinism });
      return { observation: capText(output), done: false, reward: 0 };
    } catch (e) {
      const message = e instanceof ToolArgumentError ? e.message : `${action.name} error: ${e instanceof Error ? e.message : String(e)}`;
      return { observation: message, done: false, reward: 0 };
    }
  }

  private async demoDb(): Promise<SqlDatabase> {
    if (!this.db) {
      this.db = await openDemoDatabase();
      seedSqlRandomness(this.db, this.episode.seed);
    }
    return this.db;
  }
}
