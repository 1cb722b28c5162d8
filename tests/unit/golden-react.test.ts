/**
 * lagent ReAct, byte for byte: every prompt of a scripted four-turn episode (an argument error, a reply with no
 * action, a tool result, then the force-stopped last turn) equals what lagent v0.2.2's own ReAct agent sends
 * (scripts/golden/react.py -> tests/fixtures/golden/react/expected.json).
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import type { ToolSpec } from '../../src/lib/agent/protocols/types';
import type { ChatMessage } from '../../src/lib/agent/template';
import type { TaskSpec } from '../../src/lib/tasks/types';
import { golden, rendered, runScripted, ScriptedTools } from './helpers/scripted-run';

interface Input {
  request: string;
  tools: ToolSpec[];
  replies: string[];
  tool_results: string[];
}
const input = golden<Input>('react', 'input');
const expected = golden<{ prompts: ChatMessage[][]; response: string }>('react', 'expected');


const task: TaskSpec = { id: 'golden-react', env: 'tools', title: 'golden' };

describe('lagent ReAct golden episode', () => {
  it("strict: every prompt equals lagent's", async () => {
    const env = new ScriptedTools(input.request, input.tool_results);
    const run = await runScripted(getProtocol('react'), env, task, [...input.replies], { mode: 'strict', tools: input.tools });
    expect(run.prompts.length).toBe(expected.prompts.length);
    run.prompts.forEach((p, i) => expect(p, `prompt ${i + 1}`).toBe(rendered(expected.prompts[i])));
    expect(run.done).toMatchObject({ reason: 'final', reward: 1, mode: 'strict' });
    expect(env.actions.at(-1)).toEqual({ type: 'final', answer: expected.response.trim() });
  });

  it("lenient: same prompts and error texts; a plain-text reply is taken as the direct answer", async () => {
    const env = new ScriptedTools(input.request, input.tool_results);
    const run = await runScripted(getProtocol('react'), env, task, [...input.replies], { mode: 'lenient', tools: input.tools });
    expect(run.prompts).toEqual(expected.prompts.slice(0, 2).map(rendered));
    expect(run.done).toMatchObject({ reason: 'final', reward: 1, mode: 'lenient', steps: 2 });
    expect(env.actions.at(-1)).toEqual({ type: 'final', answer: 'I think the answer is 6.' });
  });

  it('strict: with no Final Answer by turn 4 the episode ends at max turns', async () => {
    const replies = Array(4).fill('I am not sure.');
    const run = await runScripted(getProtocol('react'), new ScriptedTools(input.request, input.tool_results), task, replies, { mode: 'strict', tools: input.tools });
    expect(run.done).toMatchObject({ reason: 'max-turns', reward: 0, steps: 4 });
    expect(run.prompts[3].endsWith('You should directly give results\n based on history information.\n <|Assistant|>\u0D46')).toBe(true);
    expect(run.prompts[2]).not.toContain('You should directly give results');
  });

  it('strict: the last Action wins, Final Answer anywhere wins over it', () => {
    const react = getProtocol('react');
    const two = 'Action: WikiSearch\nAction: Calculator\nAction Input: {"expression": "1+1"}';
    expect(react.parse(two, { tools: input.tools, mode: 'strict' })).toMatchObject({ ok: true, action: { name: 'Calculator' } });
    const both = 'Action: Calculator\nAction Input: {"expression": "1+1"}\nFinal Answer: 2';
    expect(react.parse(both, { tools: input.tools, mode: 'strict' })).toMatchObject({ ok: true, action: { type: 'final', answer: '2' } });
    // No newline after the tool name: lagent's `Action:(.*?)\n` does not match, so NoAction.
    expect(react.parse('Action Input: {}\nAction: Calculator', { tools: input.tools, mode: 'strict' })).toMatchObject({
      ok: false,
      observation: 'Response:Please follow the format\n',
    });
    // An unknown tool: InvalidAction echoes the action input.
    expect(react.parse('Action: Python\nAction Input: print(1)', { tools: input.tools, mode: 'strict' })).toMatchObject({
      ok: false,
      observation: 'Response:print(1)\n',
    });
  });
});
