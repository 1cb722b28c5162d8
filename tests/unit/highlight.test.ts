import { describe, expect, it } from 'vitest';
import { highlight, type CodeLanguage } from '../../src/lib/ui/highlight';

const kinds = (code: string, language: CodeLanguage) => highlight(code, language).filter((t) => t.kind !== 'plain').map((t) => `${t.kind}:${t.text}`);

describe('highlight', () => {
  it.each<[CodeLanguage, string]>([
    ['bash', 'find /home -maxdepth 1 -name ".*" | wc -l # count\necho "$HOME" ${x:-y} \'it\'\'s\''],
    ['sql', "SELECT `a b`, \"c\" FROM t WHERE x = 'it''s' -- note\n/* block */ LIMIT 5;"],
    ['javascript', 'const s = `a${1}b`; // c\nlet n = 3.5e2; /* unterminated'],
    ['json', '{"a": [1, 2.5, true, null], "b": "x\\"y"}'],
    ['text', '<script>alert(1)</script>'],
    ['bash', "echo 'unterminated"],
  ])('%s: the tokens concatenate back to the input exactly', (language, code) => {
    expect(highlight(code, language).map((t) => t.text).join('')).toBe(code);
  });

  it('marks bash commands, variables, strings and comments', () => {
    expect(kinds('ls -la "$DIR" | wc -l # n', 'bash')).toEqual(['keyword:ls', 'operator:-', 'string:"$DIR"', 'operator:|', 'keyword:wc', 'operator:-', 'comment:# n']);
    expect(kinds('echo $HOME', 'bash')).toEqual(['keyword:echo', 'variable:$HOME']);
  });

  it('reads SQL keywords in any case, numbers, strings and comments', () => {
    expect(kinds("select Name from t where Age > 30 and City = 'Oslo' -- x", 'sql')).toEqual([
      'keyword:select', 'keyword:from', 'keyword:where', 'operator:>', 'number:30', 'keyword:and', 'operator:=', "string:'Oslo'", 'comment:-- x',
    ]);
  });

  it('does not read digits inside identifiers as numbers', () => {
    expect(kinds('let x2 = 10;', 'javascript')).toEqual(['keyword:let', 'operator:=', 'number:10', 'operator:;']);
  });
});
