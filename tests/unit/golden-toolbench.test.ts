/**
 * ToolBench, byte for byte: the system prompt (function names, types and descriptions as api_json_to_openai_json
 * makes them), the query turn, and the observations of a scripted episode (a function that does not exist, a
 * Finish without return_type, a long non-ASCII result cut at 1024) equal what ToolBench's rapidapi_wrapper produces
 * (scripts/golden/toolbench.py -> tests/fixtures/golden/toolbench/expected.json).
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import type { ToolSpec } from '../../src/lib/agent/protocols/types';
import type { ChatMessage } from '../../src/lib/agent/template';
import type { TaskSpec } from '../../src/lib/tasks/types';
import { golden, rendered, runScripted, ScriptedTools } from './helpers/scripted-run';

interface Input {
  query: string;
  tools: ToolSpec[];
  replies: string[];
  tool_results: string[];
}
const input = golden<Input>('toolbench', 'input');
const expected = golden<{ system: string; user: string; observations: [string, number][] }>('toolbench', 'expected');


const task: TaskSpec = { id: 'golden-toolbench', env: 'tools', title: 'golden' };

describe('ToolBench golden episode', () => {
  for (const mode of ['strict', 'lenient'] as const) {
    it(`${mode}: system prompt, query and observations equal ToolBench's`, async () => {
      const env = new ScriptedTools(input.query, input.tool_results);
      const run = await runScripted(getProtocol('toolbench'), env, task, [...input.replies], { mode, tools: input.tools });
      const history: ChatMessage[] = [
        { role: 'system', content: expected.system },
        { role: 'user', content: expected.user },
      ];
      run.prompts.forEach((prompt, i) => {
        expect(prompt, `prompt ${i + 1}`).toBe(rendered(history));
        if (i < expected.observations.length - 1) {
          history.push({ role: 'assistant', content: input.replies[i] }, { role: 'user', content: expected.observations[i][0] });
        }
      });
      expect(run.prompts).toHaveLength(4);
      expect(expected.observations[2][0]).toHaveLength(1027);
      expect(env.actions).toEqual([
        { type: 'tool', name: 'Wiki Search 2', args: { query: 'Café Lumen' } },
        { type: 'final', answer: '6; Café Lumen is a café.' },
      ]);
      expect(run.done).toMatchObject({ reason: 'final', reward: 1, mode });
    });
  }

  it('maps ToolBench parameter names back to the tool\'s own (from -> is_from -> from)', () => {
    const parsed = getProtocol('toolbench').parse('Action: unitconverter_for_unitconverter\nAction Input: {"value": 5, "is_from": "km", "to": "mi"}', {
      tools: input.tools,
    });
    expect(parsed).toMatchObject({ ok: true, action: { name: 'UnitConverter', args: { value: 5, from: 'km', to: 'mi' } } });
  });
});
