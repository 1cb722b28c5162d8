/**
 * HotpotQA, byte for byte: the chat turns of a scripted five-step episode on our wiki (a page that does not exist,
 * an action that is not an action, a search, a lookup, the answer; two replies with lines after the action),
 * joined with newlines, equal every prompt the held-out harness's ReactAgent builds for the same steps, its two
 * newline-cut calls per step included (scripts/golden/wiki.py -> tests/fixtures/golden/wiki/expected.json); and a
 * rambling episode halts where the harness's cl100k_base count passes 2000. The pages are our offline wiki's
 * (scripts/golden/wiki-input.ts).
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import { countCl100k } from '../../src/lib/agent/protocols/cl100k';
import { renderPrompt, type ChatMessage } from '../../src/lib/agent/template';
import { envModule, WikiEnvironment } from '../../src/lib/tasks/wiki/index';
import { golden, runScripted } from './helpers/scripted-run';

interface Episode {
  task: string;
  steps: { thought: string; action: string; after?: string }[];
}
interface Expected {
  final_prompt: string;
  f1: number;
  em: boolean;
  halted: boolean;
  steps: number;
  /** The harness's cl100k_base count of its prompt at each is_halted() (before each step, and once after). */
  counts: number[];
}
const input = golden<Episode & { halt: Episode }>('wiki', 'input');
const expected = golden<Expected & { prompts: string[]; halt: Expected }>('wiki', 'expected');
const taskOf = (episode: Episode) => envModule.tasks.find((t) => t.id === episode.task)!;
const task = taskOf(input);
/** What the model writes after the loop's `Thought n:`, in one call. */
const repliesOf = (episode: Episode) => episode.steps.map((s, i) => ` ${s.thought}\nAction ${i + 1}: ${s.action}${s.after ?? ''}`);
const joined = (messages: readonly ChatMessage[]) => messages.map((m) => m.content).join('\n');

describe('HotpotQA golden episode', () => {
  for (const mode of ['strict', 'lenient'] as const) {
    it(`${mode}: the turns are the harness's prompt, cut at its step boundaries`, async () => {
      const env = new WikiEnvironment();
      const run = await runScripted(getProtocol('wiki'), env, task, repliesOf(input), { mode });
      const transcript = run.done.transcript;
      expect(run.prompts.length).toBe(input.steps.length);
      run.prompts.forEach((prompt, i) => {
        const before = transcript.slice(0, 2 + 2 * i);
        expect(prompt, `prompt ${i + 1}`).toBe(renderPrompt(before) + `Thought ${i + 1}:`);
        // The harness asks twice per step: after "Thought n:" and after "Action n:", each answer cut at "\n".
        expect(joined(before) + `\nThought ${i + 1}:`, `thought call ${i + 1}`).toBe(expected.prompts[2 * i]);
        const turn = transcript[2 + 2 * i].content;
        const actionCall = joined(before) + '\n' + turn.slice(0, turn.indexOf('\nAction ')) + `\nAction ${i + 1}:`;
        expect(actionCall, `action call ${i + 1}`).toBe(expected.prompts[2 * i + 1]);
      });
      expect(joined(transcript)).toBe(expected.final_prompt);
      expect(run.done).toMatchObject({ reason: 'final', reward: expected.f1, mode });
      expect(await env.view()).toMatchObject({ f1: expected.f1, em: expected.em });
    });
  }

  for (const mode of ['strict', 'lenient'] as const) {
    it(`${mode}: halts, reward 0, where the harness's prompt passes 2000 cl100k_base tokens`, async () => {
      const halt = input.halt;
      const run = await runScripted(getProtocol('wiki'), new WikiEnvironment(), taskOf(halt), repliesOf(halt), { mode });
      const transcript = run.done.transcript;
      expect(expected.halt).toMatchObject({ halted: true, f1: 0 });
      expect(run.prompts.length).toBe(expected.halt.steps);
      expect(joined(transcript)).toBe(expected.halt.final_prompt);
      expect(run.done).toMatchObject({ reason: 'context-full', reward: 0, steps: expected.halt.steps, mode });
      const last = expected.halt.counts[expected.halt.steps];
      expect(run.events).toContainEqual({
        type: 'error',
        turn: expected.halt.steps + 1,
        kind: 'context',
        message: `the prompt is ${last} cl100k_base tokens, over the harness's 2000: it halts here (reward 0)`,
      });
    });
  }

  it("counts cl100k_base tokens as tiktoken's own core does, at every halt check of both episodes", async () => {
    for (const [episode, want] of [
      [input, expected],
      [input.halt, expected.halt],
    ] as const) {
      const run = await runScripted(getProtocol('wiki'), new WikiEnvironment(), taskOf(episode), repliesOf(episode), { mode: 'strict' });
      const transcript = run.done.transcript;
      // Before step n the prompt holds the task and n-1 pairs; the last check is the final prompt.
      const checks = want.counts.map((_, n) => joined(transcript.slice(0, Math.min(2 + 2 * n, transcript.length))));
      expect(await Promise.all(checks.map(countCl100k))).toEqual(want.counts);
    }
  });

  it('keeps of a reply what the two newline-cut calls keep, in both modes', () => {
    const wiki = getProtocol('wiki');
    expect(wiki.historyText!('Thought 2: I search.\n\n**Action 2:** Search[Linz]\nThen Lookup[x].')).toBe('Thought 2: I search.\nAction 2: Search[Linz]');
    expect(wiki.historyText!('Thought 3:\tOnly a thought.')).toBe('Thought 3: Only a thought.\nAction 3: ');
  });

  it('strict reads actions as parse_action does: case matters, the first action line only', () => {
    const wiki = getProtocol('wiki');
    const strict = (text: string) => wiki.parse(text, { mode: 'strict', turn: 2 });
    expect(strict('Thought 2: x\nAction 2: search[Linz]')).toMatchObject({
      ok: false,
      observation: 'Observation 2: Invalid Action. Valid Actions are Lookup[<topic>] Search[<topic>] and Finish[<answer>].',
    });
    expect(wiki.parse('Thought 2: x\nAction 2: search[Linz]', { mode: 'lenient', turn: 2 })).toMatchObject({ ok: true });
    expect(strict('Thought 2: x\nAction 2: Search[Linz].')).toMatchObject({ ok: true, action: { name: 'search', args: 'Linz' } });
    expect(strict('Thought 2: x\nAction 2: Finish[Linz] because')).toMatchObject({ ok: true, action: { type: 'final', answer: 'Linz' } });
  });

  it('the reward is token F1; the observation says exact match', async () => {
    const env = new WikiEnvironment();
    await env.reset({ ...task, data: { ...task.data, answer: 'Drasko River' } });
    expect(await env.step({ type: 'final', answer: 'Drasko' })).toEqual({ observation: 'Answer is INCORRECT', done: true, reward: 2 / 3 });
  });
});
