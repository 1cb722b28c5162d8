/**
 * Repeatable randomness and time for one episode. A restore replays the episode's earlier actions in a fresh
 * worker; for its state to be the one the model saw, every random or time-based result must come out the same.
 * The sandbox client picks an episode's seed and start time at reset and hands the same pair to the replay; the
 * SQLite and QuickJS runtimes draw from them instead of the machine's clock and entropy.
 */
import { mulberry32 } from '../util/random';

export interface EpisodeSeed {
  /** Seeds the episode's random numbers (SQL random()/randomblob(), JavaScript Math.random). */
  seed: number;
  /** What the clock reads at the episode's first step (ms since the epoch). */
  startMs: number;
}

/** For callers that give none (tests, `npm run replay`): the same every time. */
export const FIXED_EPISODE: EpisodeSeed = { seed: 1, startMs: Date.UTC(2024, 0, 1) };

/** A fresh episode's seed and start: real entropy and the real time, recorded so a replay can repeat them. */
export function newEpisodeSeed(): EpisodeSeed {
  return { seed: crypto.getRandomValues(new Uint32Array(1))[0], startMs: Date.now() };
}

/**
 * The clock at step `step` (0-based) of the episode: start + one second per step, the same however long the
 * steps (or their replay) really take.
 */
export function stepTime(episode: EpisodeSeed, step: number): number {
  return episode.startMs + step * 1000;
}

/** The seed of step `step`'s random numbers, for runtimes that start fresh at every step (QuickJS). */
export function stepSeed(episode: EpisodeSeed, step: number): number {
  return (Math.imul(episode.seed ^ 0x9e3779b9, 0x85ebca6b) + step) >>> 0;
}

/** A seeded source of uniform numbers in [0, 1). */
export const seededRandom = (seed: number): (() => number) => mulberry32(seed);

/**
 * Runs `fn` (synchronous) with `Date.now()` reading `nowMs`: sql.js's SQLite asks its clock through it
 * (`'now'`, CURRENT_TIMESTAMP). Only for the sandbox worker's synchronous runtime calls: nothing else runs meanwhile.
 */
export function atTime<T>(nowMs: number, fn: () => T): T {
  const realNow = Date.now;
  Date.now = () => nowMs;
  try {
    return fn();
  } finally {
    Date.now = realNow;
  }
}
