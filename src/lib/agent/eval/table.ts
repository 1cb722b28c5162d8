/** The evaluation summary: the paper's table from episode summaries, with the reported figures beside ours. */
import type { RecordSummary } from '../record';
import { REPORTED, REPORTED_BESIDE, REPORTED_MODELS, REPORTED_SOURCE, type ReportedModel } from './reported';
import { ROWS, suiteRows, type RowId, type SuiteId } from './suites';

export interface TableRow {
  row: RowId | 'held-in';
  group: string;
  label: string;
  metric: 'success' | 'reward' | 'mean of rows';
  episodes: number;
  /** Planned episodes for this row (the suite with its limit). */
  planned: number;
  successRate: number | null;
  meanReward: number | null;
  /** Ours, in percent, by the row's metric; null before any episode. */
  score: number | null;
  reported: Partial<Record<ReportedModel, number>>;
  reportedColumn?: string;
  reportedNote?: string;
}

export interface EvalTable {
  suite: SuiteId;
  mode: string;
  model: string;
  rows: TableRow[];
  reportedSource: string;
}

const pct = (x: number) => Math.round(x * 1000) / 10;

function reportedFor(row: RowId | 'held-in') {
  const beside = REPORTED_BESIDE[row];
  if (!beside) return { reported: {} };
  const reported = Object.fromEntries(REPORTED_MODELS.map((m) => [m, REPORTED[m][beside.column]]));
  return { reported, reportedColumn: beside.column, reportedNote: beside.note };
}

/** `results`: each finished episode's row and summary; `planned`: episodes per row in the suite. */
export function buildTable(
  suite: SuiteId,
  meta: { mode: string; model: string },
  results: { row: RowId; summary: Pick<RecordSummary, 'reward' | 'success'> }[],
  planned: Partial<Record<RowId, number>>,
): EvalTable {
  const rows: TableRow[] = suiteRows(suite).map((spec) => {
    const mine = results.filter((r) => r.row === spec.id);
    const n = mine.length;
    const successRate = n ? mine.filter((r) => r.summary.success).length / n : null;
    const meanReward = n ? mine.reduce((s, r) => s + r.summary.reward, 0) / n : null;
    const value = spec.metric === 'success' ? successRate : meanReward;
    return {
      row: spec.id,
      group: spec.group,
      label: spec.label,
      metric: spec.metric,
      episodes: n,
      planned: planned[spec.id] ?? 0,
      successRate,
      meanReward,
      score: value === null ? null : pct(value),
      ...reportedFor(spec.id),
    };
  });
  const heldIn = rows.filter((r) => r.group === 'held-in');
  if (heldIn.length === ROWS.filter((r) => r.group === 'held-in').length) {
    const scored = heldIn.filter((r) => r.score !== null);
    rows.splice(heldIn.length, 0, {
      row: 'held-in',
      group: 'held-in',
      label: 'Held-in (mean of the rows above)',
      metric: 'mean of rows',
      episodes: heldIn.reduce((s, r) => s + r.episodes, 0),
      planned: heldIn.reduce((s, r) => s + r.planned, 0),
      successRate: null,
      meanReward: null,
      score: scored.length === heldIn.length ? Math.round((scored.reduce((s, r) => s + r.score!, 0) / scored.length) * 10) / 10 : null,
      ...reportedFor('held-in'),
    });
  }
  return { suite, ...meta, rows, reportedSource: REPORTED_SOURCE };
}

const cell = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function tableCsv(table: EvalTable): string {
  const head = ['group', 'row', 'label', 'metric', 'episodes', 'planned', 'ours (%)', 'success rate', 'mean reward', 'reported column', ...REPORTED_MODELS.map((m) => `${m} (reported)`)];
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = table.rows.map((r) =>
    [r.group, r.row, r.label, r.metric, String(r.episodes), String(r.planned), cell(r.score), cell(r.successRate), cell(r.meanReward), r.reportedColumn ?? '', ...REPORTED_MODELS.map((m) => cell(r.reported[m]))]
      .map(quote)
      .join(','),
  );
  return [head.map(quote).join(','), ...lines].join('\n') + '\n';
}

/** A plain-text table for the terminal. */
export function tableText(table: EvalTable): string {
  const head = ['', 'episodes', `ours (${table.mode})`, ...REPORTED_MODELS.map((m) => `${m}*`)];
  const body = table.rows.map((r) => [
    r.label,
    `${r.episodes}/${r.planned}`,
    r.score === null ? '-' : r.score.toFixed(1),
    ...REPORTED_MODELS.map((m) => (r.reported[m] === undefined ? '' : `${r.reported[m]} (${r.reportedColumn})`)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `model: ${table.model}   suite: ${table.suite}   mode: ${table.mode}`,
    line(head),
    ...body.map(line),
    `* reported, not re-measured: ${table.reportedSource}. Ours: success rate or mean reward in %, as each benchmark scores it.`,
  ].join('\n');
}
