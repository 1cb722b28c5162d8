/**
 * Typed readings of the environments' `view()` objects (they cross the worker boundary as plain data).
 * Each reader returns null when the view is not of its kind, so the component falls back to raw JSON.
 */
import type { EnvView } from '../../tasks/types';

export type StateView =
  | { kind: 'files'; files: string[] }
  | { kind: 'tables'; tables: { name: string; columns: string[]; rows: unknown[][] }[] }
  | {
      kind: 'household';
      goal?: string;
      location: string | null;
      holding: string | null;
      steps: number;
      maxSteps: number;
      receptacles: { name: string; openable: boolean; open: boolean; contents: string[] }[];
    }
  | {
      kind: 'shop';
      instruction?: string;
      page: string;
      keywords?: string;
      results?: { asin: string; title: string; price: number }[];
      product?: { asin: string; title: string; price: number; options: Record<string, string[]> };
      selected: Record<string, string>;
      reward?: number;
    }
  | { kind: 'wiki'; question?: string; page: { title: string; sentences: string[] } | null; lookup: { keyword: string; shown: number; total: number } | null; answer: string | null }
  | { kind: 'kg'; question?: string; entities?: string[]; variables: { id: string; type: string; size: number; sample: string[] }[]; answer: string[] | null };

const KINDS = new Set(['files', 'tables', 'household', 'shop', 'wiki', 'kg']);

export function readStateView(view: EnvView | null): StateView | null {
  if (!view || !KINDS.has(view.kind)) return null;
  return view as unknown as StateView;
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The simulated shell's own tools and devices: the same in every task, so the files view leaves them out. */
const SYSTEM_PREFIXES = ['/bin/', '/usr/bin/', '/dev/', '/proc/'];

export function taskFiles(files: string[]): string[] {
  return files.filter((f) => !SYSTEM_PREFIXES.some((p) => f.startsWith(p)));
}
