/** Agent-H: at least 100 hallucination negatives from the tool catalog, scored as Agent-FLAN scores them. */
import { describe, expect, it } from 'vitest';
import { agentH } from '../../src/lib/tasks/tools/agent-h';
import { ToolsEnvironment } from '../../src/lib/tasks/tools/env';
import { toolsTasks } from '../../src/lib/tasks/tools/tasks';
import { getProtocol } from '../../src/lib/agent/protocols/index';
import { replayTurns } from '../../src/lib/agent/replay';
import { summarize } from '../../src/lib/agent/record';
import { suiteEpisodes } from '../../src/lib/agent/eval/suites';
import { buildTable } from '../../src/lib/agent/eval/table';

describe('Agent-H', () => {
  it('has 100+ negatives of both kinds over every tool set the gallery offers, ids unique', () => {
    expect(agentH.tasks.length).toBeGreaterThanOrEqual(100);
    expect(new Set(agentH.tasks.map((t) => t.id)).size).toBe(agentH.tasks.length);
    expect(agentH.tasks.filter((t) => t.title.includes('no listed tool can serve it')).length).toBeGreaterThanOrEqual(50);
    expect(agentH.tasks.filter((t) => t.title.includes('it needs no tool')).length).toBeGreaterThanOrEqual(50);
    const key = (names: string[]) => [...names].sort().join('+');
    const gallerySets = new Set(toolsTasks.map((t) => key(t.data.tools.map((s) => s.name))));
    const offered = new Set(agentH.tasks.map((t) => key(t.data.tools.map((s) => s.name))));
    expect(offered).toEqual(gallerySets);
    for (const t of agentH.tasks) expect(t.data.expected).toEqual({ noTool: true });
  });

  it('a direct reply scores 1 and any tool call scores 0, through the loop', async () => {
    const react = getProtocol('react');
    for (const task of agentH.tasks) {
      const direct = await replayTurns(new ToolsEnvironment(), react, agentH.experts[task.id], { task, tools: task.data.tools, mode: 'strict' });
      expect(summarize(direct), task.id).toMatchObject({ reward: 1, success: true });
    }
    const task = agentH.tasks.find((t) => t.data.tools.some((s) => s.name === 'Calculator'))!;
    const call = 'Thought: let me compute.\nAction: Calculator\nAction Input: {"expression": "1+1"}';
    const called = await replayTurns(new ToolsEnvironment(), react, [call, agentH.experts[task.id][0]], { task, tools: task.data.tools });
    expect(summarize(called)).toMatchObject({ reward: 0, success: false, reason: 'final' });
  });

  it("the agent-h suite holds the gallery's negatives and the built set, and its row is a success rate", async () => {
    const episodes = await suiteEpisodes('agent-h');
    expect(episodes.length).toBe(agentH.tasks.length + toolsTasks.filter((t) => 'noTool' in t.data.expected).length);
    const heldOut = await suiteEpisodes('held-out');
    expect(heldOut.filter((e) => e.row === 'tools').every((e) => !('noTool' in (e.task.data as { expected: object }).expected))).toBe(true);
    const table = buildTable('agent-h', { mode: 'strict', model: 'm' }, [
      { row: 'agent-h', summary: { reward: 1, success: true } },
      { row: 'agent-h', summary: { reward: 0, success: false } },
      { row: 'agent-h', summary: { reward: 1, success: true } },
      { row: 'agent-h', summary: { reward: 1, success: true } },
    ], { 'agent-h': 4 });
    expect(table.rows).toEqual([expect.objectContaining({ row: 'agent-h', episodes: 4, planned: 4, score: 75, reportedColumn: 'Agent-H' })]);
  });
});
