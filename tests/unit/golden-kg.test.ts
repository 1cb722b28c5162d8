/**
 * The KG protocol and environment against the original harness: tests/fixtures/golden/kg/episode.json is what
 * AgentBench.old's knowledgegraph `predict_single` and api.py (run by scripts/golden/kg.py over a stub Freebase made
 * from input.json) gave the scripted replies of input.json.
 */
import { describe, expect, it } from 'vitest';
import { getProtocol } from '../../src/lib/agent/protocols';
import { KnowledgeGraph, RELATIONS } from '../../src/lib/tasks/kg/graph';
import { KgEnvironment } from '../../src/lib/tasks/kg/index';
import type { KgTask } from '../../src/lib/tasks/kg/questions';
import { runGolden, type GoldenEpisode } from './helpers/golden-episode';
import { golden as readGolden } from './helpers/scripted-run';

interface KgInput {
  question: string;
  entities: string[];
  answer: string[];
  types: Record<string, string>;
  relations: { name: string; inverse: string; domain: string; range: string }[];
  triples: [string, string, string][];
  replies: string[];
}
const input = readGolden<KgInput>('kg', 'input');
const golden = readGolden<GoldenEpisode & { f1: number }>('kg', 'episode');

function graph(): KnowledgeGraph {
  const g = new KnowledgeGraph();
  for (const [name, type] of Object.entries(input.types)) g.addEntity(name, type);
  for (const [s, rel, o] of input.triples) g.add(input.relations.find((r) => r.name === rel)!, s, o);
  return g;
}
const task: KgTask = { id: 'golden-kg', env: 'kg', title: 'golden', data: { question: input.question, entities: input.entities, answer: input.answer } };

describe('KG protocol = AgentBench.old knowledgegraph', () => {
  it('the fixture graph uses the relations of our own graph', () => {
    const ours = Object.values(RELATIONS);
    for (const r of input.relations) expect(ours).toContainEqual(r);
  });

  it.each(['strict', 'lenient'] as const)('the first prompt is the original, with the rocket-engine one-shot (%s)', async (mode) => {
    const { prompts } = await runGolden(getProtocol('kg'), new KgEnvironment(graph()), task, [input.replies[0], 'Final Answer: #9'], mode);
    expect(prompts[0]).toBe(golden.firstPrompt);
    expect(prompts[0]).toContain('Action: intersection(#0, #1)');
  });

  it('a scripted episode (a failed call, a reply with no action, an invented observation, two action lines, an action beside the answer) equals the original', async () => {
    const { prompts, history, done } = await runGolden(getProtocol('kg'), new KgEnvironment(graph()), task, input.replies);
    expect(prompts).toEqual(golden.prompts);
    expect(history).toEqual(golden.history);
    expect(done).toMatchObject({ reason: 'final', reward: golden.f1 });
  });

  it('lenient mode shows the same texts for the same replies', async () => {
    const { prompts } = await runGolden(getProtocol('kg'), new KgEnvironment(graph()), task, input.replies, 'lenient');
    expect(prompts).toEqual(golden.prompts);
  });
});
