/**
 * AgentBench OS-interaction problems as AgentBench ships them (`data/os_interaction/data/dev.json`,
 * `1/*.json` ... `7/*.json`, scripts named by `file:` relative to the script folder), loaded with the
 * harness's own rules (agentbench-task.py `_load_configs`, lines 165-236): a bare string is bash; an
 * object has `language` (default bash) and `code` or `file`; `create.init` may be one script or a list;
 * `match` is a string (compared stripped) or an object (`answer` or `regex`, with `strip`); `check` is a
 * list whose `null` entries stand for the `example` script.
 */
export interface OsScript {
  language: 'bash' | 'python';
  code: string;
}

export type OsMatch = { answer: string; strip: boolean } | { regex: string; strip: boolean };

export interface AgentBenchOsProblem {
  description: string;
  init: OsScript[];
  start?: OsScript;
  evaluation: { match: OsMatch } | { check: (OsScript | null)[]; example?: OsScript };
  /** The example solution when the problem names one outside `evaluation` (dev.json #24 does). */
  example?: OsScript;
  labels: string[];
}

export type ReadScript = (path: string) => string;

function script(raw: unknown, read: ReadScript, where: string): OsScript {
  if (typeof raw === 'string') return { language: 'bash', code: raw };
  if (raw && typeof raw === 'object') {
    const o = raw as { language?: string; code?: unknown; file?: unknown };
    const language = o.language ?? 'bash';
    if (language !== 'bash' && language !== 'python') {
      throw new Error(`${where}: language "${language}" is not supported here (bash and python are; AgentBench's c/c++ need a compiler the guest lacks)`);
    }
    if (typeof o.file === 'string') return { language, code: read(o.file) };
    if (typeof o.code === 'string') return { language, code: o.code };
  }
  throw new Error(`${where}: a script is a string or an object with "code" or "file" (AgentBench's "Invalid Script Object")`);
}

export function parseAgentBenchOsProblem(item: unknown, read: ReadScript, where: string): AgentBenchOsProblem {
  if (!item || typeof item !== 'object') throw new Error(`${where}: a problem is a JSON object`);
  const o = item as Record<string, unknown>;
  if (typeof o.description !== 'string') throw new Error(`${where}: "description" must be a string`);
  // `create` that is not an object (dev.json #10 has a list there) has neither image nor init for the harness.
  const create = o.create && typeof o.create === 'object' && !Array.isArray(o.create) ? (o.create as Record<string, unknown>) : {};
  const init = create.init === undefined ? [] : Array.isArray(create.init) ? create.init : [create.init];
  const evaluation = o.evaluation as Record<string, unknown> | undefined;
  if (!evaluation || typeof evaluation !== 'object') throw new Error(`${where}: "evaluation" is missing`);
  let parsed: AgentBenchOsProblem['evaluation'];
  if ('match' in evaluation) {
    const m = evaluation.match;
    if (typeof m === 'string') parsed = { match: { answer: m, strip: true } };
    else if (m && typeof m === 'object' && ('answer' in m || 'regex' in m)) {
      const mm = m as { answer?: string; regex?: string; strip?: boolean };
      parsed = { match: mm.answer !== undefined ? { answer: String(mm.answer), strip: mm.strip ?? false } : { regex: String(mm.regex), strip: mm.strip ?? false } };
    } else throw new Error(`${where}: "match" is a string or has "answer" or "regex"`);
  } else if ('check' in evaluation) {
    const list = Array.isArray(evaluation.check) ? evaluation.check : [evaluation.check];
    const check = list.map((s, i) => (s === null ? null : script(s, read, `${where} check[${i}]`)));
    const example = evaluation.example === undefined ? undefined : script(evaluation.example, read, `${where} example`);
    if (check.includes(null) && !example) throw new Error(`${where}: a null check entry needs an "example" script`);
    parsed = { check, example };
  } else throw new Error(`${where}: "evaluation" needs "match" or "check" (AgentBench: "check or match must exist.")`);
  return {
    description: o.description,
    init: init.map((s, i) => script(s, read, `${where} create.init[${i}]`)),
    start: o.start === undefined ? undefined : script(o.start, read, `${where} start`),
    evaluation: parsed,
    example: o.example === undefined ? undefined : script(o.example, read, `${where} example`),
    labels: Array.isArray(o.labels) ? o.labels.map(String) : [],
  };
}

/** A `.json` file holds one problem or a list; `.jsonl` one per line (agentbench-task.py lines 184-197). */
export function parseAgentBenchOsFile(text: string, name: string, read: ReadScript): AgentBenchOsProblem[] {
  let items: unknown[];
  if (name.endsWith('.jsonl')) items = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  else {
    const raw = JSON.parse(text);
    items = Array.isArray(raw) ? raw : [raw];
  }
  return items.map((item, i) => parseAgentBenchOsProblem(item, read, `${name} #${i}`));
}

/** The check chain's verdict on one answer (agentbench-task.py lines 454-475). */
export async function judge(
  problem: AgentBenchOsProblem,
  answer: string | undefined,
  runIndependent: (s: OsScript, params: string[]) => Promise<{ output: string; exitCode: number }>,
): Promise<boolean> {
  const ev = problem.evaluation;
  if ('match' in ev) {
    if (answer === undefined) return false;
    const a = ev.match.strip ? answer.trim() : answer;
    return 'answer' in ev.match ? a === ev.match.answer : new RegExp(ev.match.regex).test(a);
  }
  // `params = [str(answer)]`: Python's str(None) when the agent gave no answer.
  const params = [answer === undefined ? 'None' : answer];
  for (const entry of ev.check) {
    const s = entry ?? ev.example!;
    const response = await runIndependent(s, params);
    if (response.exitCode !== 0) return false;
    params.push(response.output);
  }
  return true;
}
