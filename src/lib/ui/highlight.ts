/**
 * A tiny syntax highlighter for the code a model writes (bash, SQL, JavaScript, JSON): splits code
 * into typed tokens whose texts concatenate back to the input. Rendering is left to the component,
 * which shows each token as text (never HTML).
 */

export type TokenKind = 'keyword' | 'string' | 'number' | 'comment' | 'variable' | 'operator' | 'plain';
export interface CodeToken {
  kind: TokenKind;
  text: string;
}
export type CodeLanguage = 'bash' | 'sql' | 'javascript' | 'json' | 'text';

const BASH_WORDS = 'if then else elif fi for while until do done case esac in function return export local echo cd ls cat grep find wc sort uniq head tail awk sed cut tr xargs mkdir rm cp mv touch chmod test read printf true false';
const SQL_WORDS =
  'select from where and or not in is null as on join left right inner outer full cross group by order having limit offset insert into values update set delete create table drop alter add distinct count sum avg min max like between case when then else end union all exists asc desc primary key';
const JS_WORDS =
  'const let var function return if else for while do break continue new class extends import export from of in typeof instanceof null undefined true false this try catch finally throw switch case default async await yield';

interface Grammar {
  comment?: RegExp;
  variable?: RegExp;
  words: Set<string>;
  caseInsensitive: boolean;
}

const GRAMMARS: Record<Exclude<CodeLanguage, 'text'>, Grammar> = {
  bash: { comment: /#[^\n]*/y, variable: /\$(\{[^}\n]*\}|\w+|[?#@*$!0-9])/y, words: new Set(BASH_WORDS.split(' ')), caseInsensitive: false },
  sql: { comment: /--[^\n]*|\/\*[\s\S]*?(\*\/|$)/y, words: new Set(SQL_WORDS.split(' ')), caseInsensitive: true },
  javascript: { comment: /\/\/[^\n]*|\/\*[\s\S]*?(\*\/|$)/y, words: new Set(JS_WORDS.split(' ')), caseInsensitive: false },
  json: { words: new Set(['true', 'false', 'null']), caseInsensitive: false },
};

const STRING = /"(?:\\[\s\S]|[^"\\])*"?|'(?:\\[\s\S]|[^'\\])*'?|`(?:\\[\s\S]|[^`\\])*`?/y;
const NUMBER = /\d+(?:\.\d+)?(?:e[+-]?\d+)?/iy;
const WORD = /[A-Za-z_]\w*/y;
const OPERATOR = /[=<>!|&;+\-*/%^(){}[\],.:]+/y;

function matchAt(re: RegExp, code: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(code)?.[0] || undefined;
}

export function highlight(code: string, language: CodeLanguage): CodeToken[] {
  if (language === 'text') return code ? [{ kind: 'plain', text: code }] : [];
  const g = GRAMMARS[language];
  const tokens: CodeToken[] = [];
  const push = (kind: TokenKind, text: string) => {
    const last = tokens.at(-1);
    if (last && last.kind === kind && kind === 'plain') last.text += text;
    else tokens.push({ kind, text });
  };
  let i = 0;
  while (i < code.length) {
    let m: string | undefined;
    if (g.comment && (m = matchAt(g.comment, code, i))) push('comment', m);
    else if ((m = matchAt(STRING, code, i))) push('string', m);
    else if (g.variable && (m = matchAt(g.variable, code, i))) push('variable', m);
    else if (/[\w]/.test(code[i - 1] ?? '') === false && (m = matchAt(NUMBER, code, i))) push('number', m);
    else if ((m = matchAt(WORD, code, i))) push(g.words.has(g.caseInsensitive ? m.toLowerCase() : m) ? 'keyword' : 'plain', m);
    else if ((m = matchAt(OPERATOR, code, i))) push('operator', m);
    else {
      m = code[i];
      push('plain', m);
    }
    i += m.length;
  }
  return tokens;
}
