/**
 * `npm run replay -- <file> [--records DIR] [--scripts DIR]`: replays recorded assistant turns through the agent
 * loop (`runEpisode` over scripted turns: the same parsers, stops and environments as the app). Input: lines
 * {"env": "<os|db|kg|household|shop|wiki|tools>", "task": <catalog task id | inline task (for db: an AgentBench
 * dbbench entry; for os: an AgentBench OS problem as shipped, or the project's own format)>, "turns":
 * ["<assistant text>", ...], "mode"?: "strict"|"lenient"}, or one episode record (a file whose first line is a
 * "start" event, e.g. downloaded from the app), or an AgentBench OS problem file as shipped (`dev.json`,
 * `N/*.json`: each problem's example solution is played). `--scripts DIR`: where the problems' `file:` scripts are
 * (default: AgentBench's layout, `data/dev.json` -> `scripts/dev/`, `data/N/x.json` -> `scripts/N/`). OS tasks run
 * on the Linux guest (`npm run build:guest`). Output: one line per episode, derived from its record: {"env", "task",
 * "reason", "reward", "success", "done", "steps", "observations"}; a malformed line yields {"line", "error"} (a
 * problem that cannot be played {"problem", "error"}) and the rest go on. `--records DIR` also writes each
 * episode's record there.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRecord, RECORD_EXTENSION, serializeRecord, summarize, type EpisodeRecord } from '../src/lib/agent/record';
import { defaultScriptDir, isAgentBenchOsFile, replayAgentBenchOsFile, replayLine, replayRecordFile } from './lib/replay-input';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { records: { type: 'string' }, scripts: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('usage: npm run replay -- <file.jsonl | AgentBench OS problem file> [--records DIR] [--scripts DIR]');
  process.exit(2);
}
if (values.records) mkdirSync(values.records, { recursive: true });

let episode = 0;
function emit(record: EpisodeRecord): void {
  episode++;
  const summary = summarize(record);
  if (values.records) writeFileSync(join(values.records, `${String(episode).padStart(4, '0')}-${summary.task}${RECORD_EXTENSION}`), serializeRecord(record));
  console.log(JSON.stringify(summary));
}

const text = readFileSync(file, 'utf8');
if (/^\s*\{\s*"type"\s*:\s*"start"/.test(text)) {
  try {
    emit(await replayRecordFile(parseRecord(text)));
  } catch (e) {
    console.log(JSON.stringify({ line: 1, error: (e as Error).message }));
  }
} else if (isAgentBenchOsFile(text)) {
  let problem = 0;
  try {
    for await (const result of replayAgentBenchOsFile(text, file, values.scripts ?? defaultScriptDir(file))) {
      if ('error' in result) console.log(JSON.stringify({ problem, error: result.error }));
      else emit(result);
      problem++;
    }
  } catch (e) {
    console.log(JSON.stringify({ problem, error: (e as Error).message }));
  }
} else {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      emit(await replayLine(lines[i], i + 1, values.scripts));
    } catch (e) {
      console.log(JSON.stringify({ line: i + 1, error: (e as Error).message }));
    }
  }
}
