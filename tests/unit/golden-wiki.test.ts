/**
 * HotpotQA, byte for byte: the chat turns of a scripted five-step episode on our wiki (a page that does not exist,
 * an action that is not an action, a search, a lookup, the answer), joined with newlines, equal every prompt the
 * held-out harness's ReactAgent builds for the same steps (scripts/golden/wiki.py ->
 * tests/fixtures/golden/wiki/expected.json). The pages are our offline wiki's (scripts/golden/wiki-input.ts).
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import { renderPrompt, type ChatMessage } from '../../src/lib/agent/template';
import { envModule, WikiEnvironment } from '../../src/lib/tasks/wiki/index';
import { golden, runScripted } from './helpers/scripted-run';

interface Input {
  task: string;
  steps: { thought: string; action: string }[];
}
const input = golden<Input>('wiki', 'input');
const expected = golden<{ prompts: string[]; final_prompt: string; f1: number; em: boolean }>('wiki', 'expected');
const task = envModule.tasks.find((t) => t.id === input.task)!;
const replies = input.steps.map((s, i) => ` ${s.thought}\nAction ${i + 1}: ${s.action}`);
const joined = (messages: ChatMessage[]) => messages.map((m) => m.content).join('\n');

describe('HotpotQA golden episode', () => {
  for (const mode of ['strict', 'lenient'] as const) {
    it(`${mode}: the turns are the harness's prompt, cut at its step boundaries`, async () => {
      const env = new WikiEnvironment();
      const run = await runScripted(getProtocol('wiki'), env, task, [...replies], { mode });
      const transcript = run.done.transcript;
      expect(run.prompts.length).toBe(input.steps.length);
      run.prompts.forEach((prompt, i) => {
        const before = transcript.slice(0, 2 + 2 * i);
        expect(prompt, `prompt ${i + 1}`).toBe(renderPrompt(before) + `Thought ${i + 1}:`);
        // The harness asks twice per step: after "Thought n:" and after "Action n:".
        expect(joined(before) + `\nThought ${i + 1}:`, `thought call ${i + 1}`).toBe(expected.prompts[2 * i]);
      });
      expect(joined(transcript)).toBe(expected.final_prompt);
      expect(run.done).toMatchObject({ reason: 'final', reward: expected.f1, mode });
      expect(await env.view()).toMatchObject({ f1: expected.f1, em: expected.em });
    });
  }

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
