/**
 * Where the Evaluate view keeps a run, so a reload continues it: the Origin Private File System, folder `eval/`,
 * with `run.json` (the settings) and one record file per finished episode, named by the episode's key.
 */
import { parseRecord, RECORD_EXTENSION, serializeRecord, type EpisodeRecord } from '../../agent/record';

export interface StoredRun {
  suite: string;
  mode: string;
  limit: number;
  maxNewTokens: number;
  model: string;
  startedAt: string;
}

const FOLDER = 'eval';

async function folder(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(FOLDER, { create: true });
}

async function write(dir: FileSystemDirectoryHandle, name: string, text: string): Promise<void> {
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await writable.write(text);
  await writable.close();
}

export async function readRun(): Promise<{ run: StoredRun; records: Map<string, EpisodeRecord> } | null> {
  const dir = await folder();
  let run: StoredRun;
  try {
    run = JSON.parse(await (await (await dir.getFileHandle('run.json')).getFile()).text());
  } catch {
    return null;
  }
  const records = new Map<string, EpisodeRecord>();
  for await (const [name, handle] of dir as unknown as AsyncIterable<[string, FileSystemFileHandle]>) {
    if (!name.endsWith(RECORD_EXTENSION)) continue;
    try {
      records.set(name.slice(0, -RECORD_EXTENSION.length), parseRecord(await (await handle.getFile()).text()));
    } catch {
      // A torn file: the episode runs again.
    }
  }
  return { run, records };
}

/** Starts a new run: the previous one's records are removed. */
export async function startRun(run: StoredRun): Promise<void> {
  await clearRun();
  await write(await folder(), 'run.json', JSON.stringify(run));
}

export async function saveRecord(key: string, record: EpisodeRecord): Promise<void> {
  await write(await folder(), `${key}${RECORD_EXTENSION}`, serializeRecord(record));
}

export async function clearRun(): Promise<void> {
  await (await navigator.storage.getDirectory()).removeEntry(FOLDER, { recursive: true }).catch(() => undefined);
}
