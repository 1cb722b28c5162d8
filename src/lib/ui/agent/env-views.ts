/**
 * Typed readings of the environments' `view()` objects (they cross the worker boundary as plain data).
 * Each reader returns null when the view is not of its kind, so the component falls back to raw JSON.
 */
import type { EnvView } from '../../tasks/types';

export { terminalText } from '../../util/terminal';

export type StateView =
  /** The OS guest's session as a terminal shows it (raw: CRLF, escape codes). */
  | { kind: 'terminal'; text: string }
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

const KINDS = new Set(['terminal', 'tables', 'household', 'shop', 'wiki', 'kg']);

export function readStateView(view: EnvView | null): StateView | null {
  if (!view || !KINDS.has(view.kind)) return null;
  return view as unknown as StateView;
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
