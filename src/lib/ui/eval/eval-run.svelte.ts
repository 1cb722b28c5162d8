/**
 * The Evaluate view's state: runs a suite with the page's engine through the same runner as `npm run eval`, the
 * environments in the sandbox worker, each finished record kept in OPFS (eval-store.ts) so a reload continues.
 */
import { runSuite, type SuiteProgress } from '../../agent/eval/run-suite';
import { suiteEpisodes, type RowId, type SuiteEpisode, type SuiteId } from '../../agent/eval/suites';
import { buildTable, tableCsv, type EvalTable } from '../../agent/eval/table';
import type { EpisodeMode } from '../../agent/protocols/types';
import { serializeRecord, summarize, type EpisodeRecord } from '../../agent/record';
import { SandboxClient } from '../../sandbox/client';
import { taskCatalog } from '../../tasks/catalog';
import type { EnvId } from '../../tasks/types';
import type { EngineSession } from '../engine-session.svelte';
import { episodeModel } from '../agent/run-model';
import { downloadText } from '../agent/record-file';
import { readRun, saveRecord, startRun, type StoredRun } from './eval-store';

export class EvalRun {
  run = $state.raw<StoredRun | null>(null);
  progress = $state.raw<SuiteProgress | null>(null);
  table = $state.raw<EvalTable | null>(null);
  running = $state(false);
  error = $state<string | null>(null);
  /** A run a reload interrupted waits here for a loaded model (the view then continues it, once). */
  interrupted = $state(false);
  private records = new Map<string, EpisodeRecord>();
  private episodes: SuiteEpisode[] = [];
  private controller: AbortController | null = null;

  constructor(private readonly session: EngineSession) {}

  get finished(): boolean {
    return !!this.run && this.episodes.length > 0 && this.records.size >= this.episodes.length;
  }

  /** Reads a run a reload interrupted. */
  async restore(): Promise<void> {
    const stored = await readRun().catch(() => null);
    if (!stored) return;
    this.run = stored.run;
    this.records = stored.records;
    this.episodes = await suiteEpisodes(stored.run.suite as SuiteId, stored.run.limit);
    this.refresh();
    this.interrupted = !this.finished;
  }

  async start(settings: { suite: SuiteId; mode: EpisodeMode; limit: number; maxNewTokens: number }): Promise<void> {
    if (!this.session.report) throw new Error('Load a model first (the Model panel above), then evaluate it.');
    const run: StoredRun = { ...settings, model: this.session.report.modelId, startedAt: new Date().toISOString() };
    await startRun(run);
    this.records = new Map();
    this.episodes = await suiteEpisodes(settings.suite, settings.limit);
    this.run = run;
    this.refresh();
    await this.resume();
  }

  /** Runs what is left of the stored run. */
  async resume(): Promise<void> {
    const run = this.run;
    const report = this.session.report;
    if (!run || this.running) return;
    this.interrupted = false;
    if (!report) {
      this.error = 'Load a model to continue the evaluation.';
      return;
    }
    this.error = null;
    this.running = true;
    this.session.status = 'generating';
    const controller = new AbortController();
    this.controller = controller;
    const sandboxes = new Map<EnvId, SandboxClient>();
    try {
      await runSuite({
        episodes: this.episodes,
        finished: new Map([...this.records].map(([k, r]) => [k, summarize(r)])),
        slots: [{ engine: this.session.engine, contextLength: report.contextLength, model: episodeModel(this.session) }],
        mode: run.mode as EpisodeMode,
        sampling: { temperature: this.session.settings.temperature, topP: this.session.settings.topP, maxNewTokens: run.maxNewTokens },
        createEnv: async (id) => {
          if (!sandboxes.has(id)) sandboxes.set(id, new SandboxClient(id));
          return { env: sandboxes.get(id)!, protocolId: taskCatalog.envs.find((e) => e.id === id)!.protocolId };
        },
        onRecord: async (episode, record) => {
          await saveRecord(episode.key, record);
          this.records.set(episode.key, record);
          this.refresh();
        },
        onProgress: (p) => (this.progress = p),
        signal: controller.signal,
      });
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      for (const s of sandboxes.values()) s.dispose();
      this.running = false;
      this.controller = null;
      if (this.session.status === 'generating') this.session.status = 'ready';
    }
  }

  stop(): void {
    this.controller?.abort();
  }

  private refresh(): void {
    const run = this.run!;
    const rowOf = new Map(this.episodes.map((e) => [e.key, e.row]));
    const planned: Partial<Record<RowId, number>> = {};
    for (const e of this.episodes) planned[e.row] = (planned[e.row] ?? 0) + 1;
    this.table = buildTable(
      run.suite as SuiteId,
      { mode: run.mode, model: run.model },
      [...this.records].filter(([k]) => rowOf.has(k)).map(([k, r]) => ({ row: rowOf.get(k)!, summary: summarize(r) })),
      planned,
    );
  }

  exportRecords(): void {
    // Records one after another: each begins with its "start" line.
    downloadText([...this.records.values()].map(serializeRecord).join(''), `eval-${this.run?.suite}-records.jsonl`);
  }

  exportTable(format: 'csv' | 'json'): void {
    if (!this.table) return;
    if (format === 'csv') downloadText(tableCsv(this.table), `eval-${this.table.suite}.csv`, 'text/csv');
    else downloadText(JSON.stringify(this.table, null, 2), `eval-${this.table.suite}.json`, 'application/json');
  }
}
