/**
 * The OS protocol against the original harness: tests/fixtures/golden/os/episode.json is what
 * `OSInteraction._judge` (AgentBench.old task.py, run by scripts/golden/os.py) gave a scripted agent.
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import type { Action, StepResult, TaskEnvironment, TaskSpec } from '../../src/lib/tasks/types';
import { runGolden, type GoldenEpisode } from './helpers/golden-episode';
import { golden as readGolden } from './helpers/scripted-run';

const golden = readGolden<GoldenEpisode & { task: string; outputs: Record<string, string>; commands: string[]; result: boolean }>('os', 'episode');

/** The stub container of scripts/golden/os.py: fixed shell outputs; judged like the match task there (answer "7"). */
class ScriptedShell implements TaskEnvironment {
  readonly id = 'os' as const;
  commands: string[] = [];
  async reset(): Promise<string> {
    return golden.task;
  }
  async step(action: Action): Promise<StepResult> {
    if (action.type === 'tool' && typeof action.args === 'string') {
      this.commands.push(action.args);
      return { observation: golden.outputs[action.args], done: false, reward: 0 };
    }
    const answer = action.type === 'final' ? action.answer : undefined;
    return { observation: '', done: true, reward: answer === '7' ? 1 : 0 };
  }
}

const task: TaskSpec = { id: 'golden-os', env: 'os', title: 'golden' };

describe('OS protocol = AgentBench.old os_interaction/task.py', () => {
  it.each(['strict', 'lenient'] as const)('the first prompt is the original one-shot, spliced as there (%s)', async (mode) => {
    const { prompts } = await runGolden(getProtocol('os'), new ScriptedShell(), task, [golden.replies[0], 'Act: finish'], mode);
    expect(prompts[0]).toBe(golden.firstPrompt);
  });

  it('a scripted episode (an error output, an output over 800 characters, a reply with no action) equals the original', async () => {
    const shell = new ScriptedShell();
    const { prompts, history, done } = await runGolden(getProtocol('os'), shell, task, golden.replies);
    expect(shell.commands).toEqual(golden.commands);
    expect(prompts).toEqual(golden.prompts);
    expect(history).toEqual(golden.history);
    expect(done).toMatchObject({ reason: 'format-error', reward: Number(golden.result) });
  });
});
