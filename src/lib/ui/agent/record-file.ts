/** Episode records as files: download one, read one the visitor opened or dropped. */
import { parseRecord, RECORD_EXTENSION, serializeRecord, startOf, type EpisodeRecord } from '../../agent/record';

export function recordFileName(record: EpisodeRecord): string {
  const start = startOf(record);
  return `${start.task.id}-${start.at.replace(/[:.]/g, '-')}${RECORD_EXTENSION}`;
}

/** Saves text as a file through a temporary link (no server involved). */
export function downloadText(text: string, name: string, type = 'application/jsonl'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function downloadRecord(record: EpisodeRecord): void {
  downloadText(serializeRecord(record), recordFileName(record));
}

/** Reads and checks a record file; the error says what is wrong with it. */
export async function readRecordFile(file: File): Promise<EpisodeRecord> {
  try {
    return parseRecord(await file.text());
  } catch (e) {
    throw new Error(`${file.name} could not be opened as an episode record: ${(e as Error).message}.`);
  }
}
