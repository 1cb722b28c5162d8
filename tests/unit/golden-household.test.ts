/**
 * The household protocol and environment against the original harness: tests/fixtures/golden/household/ holds what
 * AgentBench.old's `ALFWorld.alfworld_run` with its `process_action` / `process_ob` (run by
 * scripts/golden/household.py over a replay of our simulator's feedback, input.json) gave the scripted replies, and
 * NLTK 3.8's BLEU scores for command pairs.
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import { bleuScore } from '../../src/lib/tasks/household/bleu';
import { envModule } from '../../src/lib/tasks/household/index';
import { generateLayout } from '../../src/lib/tasks/household/scene';
import { Household } from '../../src/lib/tasks/household/sim';
import { runGolden, type GoldenEpisode } from './helpers/golden-episode';
import { golden as readGolden } from './helpers/scripted-run';

interface HouseholdInput {
  taskId: string;
  replies: string[];
  initialAdmissible: string[];
  steps: { admissible: string[]; action: string; raw: string; won: boolean }[];
}
const input = readGolden<HouseholdInput>('household', 'input');
const golden = readGolden<GoldenEpisode & { result: number; actions: string[] }>('household', 'episode');
const task = envModule.tasks.find((t) => t.id === input.taskId)!;

describe('household protocol = AgentBench.old alfworld', () => {
  it('the replayed feedback in input.json is still what our simulator does', () => {
    const sim = new Household(generateLayout(task.data.seed, task.data.taskType));
    expect(sim.admissibleCommands()).toEqual(input.initialAdmissible);
    for (const step of input.steps) {
      expect(sim.admissibleCommands()).toEqual(step.admissible);
      expect(sim.execute(step.action)).toBe(step.raw);
    }
    expect(golden.actions).toEqual(input.steps.map((s) => s.action)); // the original sent the commands we ran
  });

  it.each(['strict', 'lenient'] as const)('the first prompt is the original, with the example for the task type (%s)', async (mode) => {
    const { prompts } = await runGolden(getProtocol('household'), await envModule.create(), task, [input.replies[0], ...input.replies.slice(3)], mode);
    expect(prompts[0]).toBe(golden.firstPrompt);
    expect(prompts[0]).toContain('Here is one example.\nYou are in the middle of a room.');
  });

  it('a scripted episode (a misspelt command snapped by BLEU, a reply with no ACTION, "Nothing happened." three times) equals the original', async () => {
    const { prompts, history, done } = await runGolden(getProtocol('household'), await envModule.create(), task, input.replies);
    expect(prompts).toEqual(golden.prompts);
    expect(history).toEqual(golden.history);
    expect(done).toMatchObject({ reason: 'repeated-action', reward: golden.result, steps: input.replies.length });
  });

  it('each task type gets its own example from alfworld_multiturn_react.json', () => {
    const household = getProtocol('household');
    const firsts = new Map<string, string>();
    for (const t of envModule.tasks) firsts.set(t.data.taskType, household.examplesFor!(t)[1].content.split('\n')[2]);
    expect(new Set(firsts.values()).size).toBe(6);
    expect(firsts.get('pick_two_obj_and_place')).toBe('Your task is to: put two cellphone in sofa.');
    expect(firsts.get('look_at_obj_in_light')).toBe('Your task is to: look at statue under the desklamp.');
  });

  it('BLEU equals NLTK 3.8 sentence_bleu with method4 smoothing', () => {
    const pairs = readGolden<{ reference: string; candidate: string; bleu: number }[]>('household', 'bleu');
    expect(pairs.length).toBeGreaterThan(200);
    expect(pairs.some((p) => p.bleu > 0 && p.bleu < 1)).toBe(true);
    for (const p of pairs) expect(Math.abs(bleuScore(p.reference, p.candidate) - p.bleu), JSON.stringify(p)).toBeLessThan(1e-12);
  });
});
