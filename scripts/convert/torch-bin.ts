/**
 * PyTorch `pytorch_model*.bin` (torch.save's zip format): the pickled state dict gives each tensor's storage,
 * offset, shape and stride; the storages are stored zip entries read in place, without Python.
 */
import { basename } from 'node:path';
import type { SourceDtype } from './dtype.ts';
import { SOURCE_DTYPE_BYTES } from './dtype.ts';
import { PickleCall, PickleGlobal, unpickle } from './pickle.ts';
import type { TensorEntry } from './tensor-entry.ts';
import { readRange } from './tensor-entry.ts';
import { readZipDirectory, storedEntryDataOffset } from './zip.ts';

const STORAGE_DTYPES: Record<string, SourceDtype> = {
  'torch.BFloat16Storage': 'BF16',
  'torch.HalfStorage': 'F16',
  'torch.FloatStorage': 'F32',
};

interface StorageRef {
  key: string;
  dtype: SourceDtype | string;
}

interface TensorRef {
  storage: StorageRef;
  offset: number;
  size: number[];
  stride: number[];
}

function isContiguous(size: number[], stride: number[]): boolean {
  let expected = 1;
  for (let i = size.length - 1; i >= 0; i--) {
    if (size[i] !== 1 && stride[i] !== expected) return false;
    expected *= size[i];
  }
  return true;
}

export function readTorchBinIndex(file: string): TensorEntry[] {
  const name = basename(file);
  let dir;
  try {
    dir = readZipDirectory(file);
  } catch (e) {
    throw new Error(`${(e as Error).message} (PyTorch's legacy non-zip format, from torch < 1.6, is not supported)`);
  }
  const pkl = dir.find((e) => e.name.endsWith('/data.pkl') || e.name === 'data.pkl');
  if (!pkl) throw new Error(`${file}: no data.pkl inside; not a torch.save archive`);
  const prefix = pkl.name.slice(0, -'data.pkl'.length);
  const byName = new Map(dir.map((e) => [e.name, e]));
  const pklBytes = readRange(file, storedEntryDataOffset(file, pkl), pkl.size);

  const root = unpickle(
    pklBytes,
    {
      persistentLoad(pid) {
        if (!Array.isArray(pid) || pid[0] !== 'storage' || !(pid[1] instanceof PickleGlobal))
          throw new Error(`${file}: unexpected persistent id ${JSON.stringify(pid)}`);
        const cls = pid[1].qualified;
        return { key: String(pid[2]), dtype: STORAGE_DTYPES[cls] ?? cls } satisfies StorageRef;
      },
      call(fn, args) {
        switch (fn.qualified) {
          case 'collections.OrderedDict':
            return new Map();
          case 'torch._utils._rebuild_tensor_v2':
            return { storage: args[0] as StorageRef, offset: args[1] as number, size: args[2] as number[], stride: args[3] as number[] } satisfies TensorRef;
          case 'torch._utils._rebuild_parameter':
            return args[0];
          default:
            return new PickleCall(fn, args);
        }
      },
    },
    `${name}:${pkl.name}`,
  );
  if (!(root instanceof Map)) throw new Error(`${file}: the pickle is not a state dict`);

  const entries: TensorEntry[] = [];
  for (const [key, value] of root) {
    const tensorName = String(key);
    if (value instanceof PickleCall) throw new Error(`${file}: tensor ${tensorName} is built by ${value.fn.qualified}, which is not supported`);
    const t = value as TensorRef;
    if (!t || typeof t !== 'object' || !('storage' in t)) throw new Error(`${file}: entry ${tensorName} is not a tensor`);
    const dtype = t.storage.dtype;
    if (!(dtype in SOURCE_DTYPE_BYTES)) throw new Error(`${file}: tensor ${tensorName} is stored as ${dtype}; only bf16, fp16 and fp32 are supported`);
    if (!isContiguous(t.size, t.stride)) throw new Error(`${file}: tensor ${tensorName} is a non-contiguous view (stride [${t.stride}]), which is not supported`);
    const elem = SOURCE_DTYPE_BYTES[dtype as SourceDtype];
    const entry = byName.get(`${prefix}data/${t.storage.key}`);
    if (!entry) throw new Error(`${file}: storage data/${t.storage.key} of tensor ${tensorName} is missing from the archive`);
    const numel = t.size.reduce((a, b) => a * b, 1);
    const start = t.offset * elem;
    const length = numel * elem;
    if (start + length > entry.size) throw new Error(`${file}: tensor ${tensorName} runs past the end of its storage data/${t.storage.key}`);
    const dataOffset = storedEntryDataOffset(file, entry);
    entries.push({ name: tensorName, dtype: dtype as SourceDtype, shape: t.size, file: name, read: () => readRange(file, dataOffset + start, length) });
  }
  return entries;
}
