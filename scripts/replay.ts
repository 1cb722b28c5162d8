/**
 * `npm run replay -- <file.jsonl> [--records DIR]`: replays recorded assistant turns through the agent loop
 * (`runEpisode` over scripted turns: the same parsers, stops and environments as the app). Input: lines
 * {"env": "<os|db|kg|household|shop|wiki|tools>", "task": <catalog task id | inline task (for db: an AgentBench
 * dbbench entry)>, "turns": ["<assistant text>", ...], "mode"?: "strict"|"lenient"}, or one episode record (a
 * file whose first line is a "start" event, e.g. downloaded from the app). Output: one line per episode, derived
 * from its record: {"env", "task", "reason", "reward", "success", "done", "steps", "observations"}; a malformed line
 * yields {"line", "error"} and the rest go on. `--records DIR` also writes each episode's record there.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRecord, RECORD_EXTENSION, serializeRecord, summarize, type EpisodeRecord } from '../src/lib/agent/record';
import { replayLine, replayRecordFile } from './lib/replay-input';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { records: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('usage: npm run replay -- <file.jsonl> [--records DIR]');
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
} else {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      emit(await replayLine(lines[i], i + 1));
    } catch (e) {
      console.log(JSON.stringify({ line: i + 1, error: (e as Error).message }));
    }
  }
}
