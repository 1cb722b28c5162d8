/**
 * Text helpers shared by the protocol parsers and formatters: truncation with a visible marker,
 * code-fence extraction, lenient JSON for tool arguments, and Python `repr` (the original prompts
 * print tool lists with Python's `str()`, so the model was trained on that spelling).
 */

/**
 * Cuts `text` to `keep` characters plus `marker` when it is longer than `limit`.
 * The AgentBench OS task, for one, cuts outputs over 800 characters to 780 plus its marker.
 */
export function truncate(text: string, limit: number, marker: string, keep = limit): string {
  if (text.length <= limit) return text;
  return text.slice(0, keep) + marker;
}

export interface Fence {
  lang: string;
  body: string;
}

/**
 * Fenced code blocks in order of appearance, with or without a language tag. A block whose closing
 * fence is missing is returned with `closed: false` so callers can name that problem.
 */
export function codeFences(text: string): (Fence & { closed: boolean })[] {
  const out: (Fence & { closed: boolean })[] = [];
  const open = /```[ \t]*([\w+#.-]*)[ \t]*\n?/g;
  let m: RegExpExecArray | null;
  while ((m = open.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('```', start);
    if (end === -1) {
      out.push({ lang: m[1].toLowerCase(), body: text.slice(start).replace(/\s+$/, ''), closed: false });
      break;
    }
    out.push({ lang: m[1].toLowerCase(), body: text.slice(start, end).replace(/\n$/, ''), closed: true });
    open.lastIndex = end + 3;
  }
  return out;
}

/** Strips one surrounding code fence (```json ... ```), if any. */
export function unfence(text: string): string {
  const t = text.trim();
  const m = /^```[\w-]*[ \t]*\n?([\s\S]*?)\n?```$/.exec(t);
  return m ? m[1].trim() : t;
}

/**
 * Parses JSON the way a forgiving reader would: a code fence around it, single-quoted strings,
 * trailing commas, Python's True/False/None, prose after the object. Returns undefined when it
 * still is not JSON.
 */
export function parseLenientJson(text: string): unknown {
  const t = unfence(text);
  try {
    return JSON.parse(t);
  } catch {
    /* fall through to the repairs below */
  }
  for (const candidate of [t, leadingObject(t)]) {
    const repaired = candidate === undefined ? undefined : repairJson(candidate);
    if (repaired === undefined) continue;
    try {
      return JSON.parse(repaired);
    } catch {
      /* try the next candidate */
    }
  }
  return undefined;
}

/**
 * The balanced `{...}` that `text` starts with (after whitespace), quotes respected; undefined when
 * the text does not start with one. Lets a JSON argument be read when prose follows it.
 */
export function leadingObject(text: string): string | undefined {
  const t = text.trimStart();
  if (!t.startsWith('{')) return undefined;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return t.slice(0, i + 1);
  }
  return undefined;
}

/** Rewrites single-quoted strings, trailing commas and Python literals outside strings. */
function repairJson(src: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      let body = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          // \' is not a JSON escape: keep the quote, drop the backslash
          body += src[j + 1] === "'" ? "'" : src[j] + src[j + 1];
          j += 2;
        } else {
          body += src[j] === '"' ? '\\"' : src[j] === '\n' ? '\\n' : src[j];
          j++;
        }
      }
      if (j >= src.length) return undefined;
      out += `"${body}"`;
      i = j + 1;
      continue;
    }
    if (c === ',') {
      const rest = src.slice(i + 1).match(/^\s*([}\]])/);
      if (rest) {
        i++;
        continue;
      }
    }
    const word = /^(True|False|None)\b/.exec(src.slice(i));
    if (word && !/[\w$]/.test(src[i - 1] ?? '')) {
      out += word[1] === 'True' ? 'true' : word[1] === 'False' ? 'false' : 'null';
      i += word[1].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Python's `repr` of JSON-like data (dicts keep insertion order, as Python 3.7+ does). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'string') return pyStr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyStr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return pyStr(String(value));
}

function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return String(x);
}

/** Python str repr: single quotes unless the text has a single quote and no double quote. */
function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/**
 * Python's `json.dumps(value)` with its defaults: `", "` and `": "` separators, every character outside printable
 * ASCII escaped as `\uXXXX` (ensure_ascii). For JSON-like data (numbers print as JavaScript prints them).
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${pyJsonDumps(k)}: ${pyJsonDumps(v)}`)
    .join(', ')}}`;
}

/** A leading `label:` (as in "Thought:", "**Thought 2:**") at the start of `text`. */
export function leadingLabel(label: string): RegExp {
  return new RegExp(`^[^\\w\\n]*${label}(?:\\s*\\d+)?[*\\s]*:[*\\s]*`, 'i');
}

/** `text` trimmed, without a leading `label:`. */
export function stripLabel(text: string, label: string): string {
  return text.trim().replace(leadingLabel(label), '').trim();
}
