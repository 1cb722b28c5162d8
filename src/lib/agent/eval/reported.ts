/**
 * Reported scores, copied from Agent-FLAN's results table (arXiv 2403.12881, Table 1 "main results", as the
 * Agent-FLAN README's figure reproduces it). Labelled as reported wherever shown: none of these were re-measured.
 * Held-in there is AgentBench's weighted overall score over its held-in tasks (not a success rate), so it sits
 * beside our held-in rows' mean only for orientation.
 */
import type { RowId } from './suites';

export const REPORTED_MODELS = ['Agent-FLAN-7B', 'AgentLM-7B', 'Llama-2-7B-chat', 'GPT-3.5'] as const;
export type ReportedModel = (typeof REPORTED_MODELS)[number];

export const REPORTED_SOURCE = 'Agent-FLAN (arXiv 2403.12881) Table 1, as in the Agent-FLAN README figure; reported, not re-measured';

export type ReportedColumn = 'held-in' | 'HotpotQA' | 'SciWorld' | 'WebArena' | 'T-Eval' | 'Agent-H' | 'overall';

export const REPORTED: Record<ReportedModel, Record<ReportedColumn, number>> = {
  'Llama-2-7B-chat': { 'held-in': 0.19, HotpotQA: 22.6, SciWorld: 5.9, WebArena: 1.2, 'T-Eval': 27.4, 'Agent-H': 78.7, overall: 27.2 },
  'AgentLM-7B': { 'held-in': 1.96, HotpotQA: 22.3, SciWorld: 13.7, WebArena: 0.74, 'T-Eval': 41.4, 'Agent-H': 80.6, overall: 31.7 },
  'Agent-FLAN-7B': { 'held-in': 2.01, HotpotQA: 28.5, SciWorld: 20.0, WebArena: 4.68, 'T-Eval': 66.0, 'Agent-H': 89.1, overall: 41.7 },
  'GPT-3.5': { 'held-in': 1.59, HotpotQA: 37.4, SciWorld: 21.2, WebArena: 4.56, 'T-Eval': 84.0, 'Agent-H': 92.1, overall: 47.8 },
};

/** Which reported column stands beside a row of ours, and how far it is the same benchmark. */
export const REPORTED_BESIDE: Partial<Record<RowId | 'held-in', { column: ReportedColumn; note: string }>> = {
  'held-in': { column: 'held-in', note: 'AgentBench overall score (weighted), not a success rate' },
  wiki: { column: 'HotpotQA', note: 'HotpotQA; ours runs on a small local corpus' },
  tools: { column: 'T-Eval', note: 'T-Eval is a different tool benchmark' },
  'agent-h': { column: 'Agent-H', note: 'Agent-H; ours is built from this app’s tool catalog' },
};
