import { describe, expect, it } from 'vitest';
import { getProtocol, protocols } from '../../src/lib/agent/protocols';
import { parseLenientJson, pyRepr, truncate, codeFences } from '../../src/lib/agent/protocols/text';
import { TOOLS } from './protocol-corpus.cases';

describe('text helpers', () => {
  it('pyRepr prints what Python str() prints', () => {
    expect(pyRepr({ a: 'x', b: [1, 2.5, true, null], c: "it's", d: 'say "hi"', e: "both ' and \"" })).toBe(
      `{'a': 'x', 'b': [1, 2.5, True, None], 'c': "it's", 'd': 'say "hi"', 'e': 'both \\' and "'}`,
    );
    expect(pyRepr('line\nnext\ttab\\')).toBe("'line\\nnext\\ttab\\\\'");
    expect(pyRepr([])).toBe('[]');
  });

  it('parseLenientJson repairs the common slips and gives up on prose', () => {
    expect(parseLenientJson('{"a": 1}')).toEqual({ a: 1 });
    expect(parseLenientJson("{'a': 'it\\'s', 'b': [1, 2,],}")).toEqual({ a: "it's", b: [1, 2] });
    expect(parseLenientJson("{'q': 'say \"x\"'}")).toEqual({ q: 'say "x"' });
    expect(parseLenientJson('{"ok": True, "none": None}')).toEqual({ ok: true, none: null });
    expect(parseLenientJson('```json\n{"a": [1]}\n```')).toEqual({ a: [1] });
    expect(parseLenientJson('{"Trueish": "None of it"}')).toEqual({ Trueish: 'None of it' });
    expect(parseLenientJson('{"a": "}"} and then some words')).toEqual({ a: '}' });
    expect(parseLenientJson('5 km to miles')).toBeUndefined();
    expect(parseLenientJson("{'a': 'unterminated}")).toBeUndefined();
  });

  it('truncate keeps short text and marks cut text', () => {
    expect(truncate('abc', 3, '[cut]')).toBe('abc');
    expect(truncate('abcdef', 3, '[cut]')).toBe('abc[cut]');
    expect(truncate('abcdef', 4, '[cut]', 2)).toBe('ab[cut]');
  });

  it('codeFences reads tagged, untagged and unclosed fences', () => {
    expect(codeFences('a\n```bash\nls\n```\nb\n```\npwd\n```')).toEqual([
      { lang: 'bash', body: 'ls', closed: true },
      { lang: '', body: 'pwd', closed: true },
    ]);
    expect(codeFences('```sql\nSELECT 1')).toEqual([{ lang: 'sql', body: 'SELECT 1', closed: false }]);
  });
});

describe('observation formats', () => {
  it('OS: AgentBench prefix, 780 characters kept past 800, empty output named', () => {
    const os = getProtocol('os');
    expect(os.formatObservation('220')).toBe('The output of the OS:\n\n220');
    expect(os.formatObservation('')).toBe('The output of the OS is empty.');
    const long = 'x'.repeat(801);
    expect(os.formatObservation(long)).toBe(
      'The output of the OS:\n\n' + 'x'.repeat(780) + '\n[truncated because the output is too long]',
    );
    expect(os.formatObservation('y'.repeat(800))).toBe('The output of the OS:\n\n' + 'y'.repeat(800));
  });

  it('DB: rows pass through, cut at 800 with a marker', () => {
    const db = getProtocol('db');
    expect(db.formatObservation("[('Ann', 31), ('Bo', 40)]")).toBe("[('Ann', 31), ('Bo', 40)]");
    expect(db.formatObservation('r'.repeat(800))).toBe('r'.repeat(800));
    expect(db.formatObservation('r'.repeat(900))).toBe('r'.repeat(800) + '[TRUNCATED]'); // Interaction.py:372-373
  });

  it('shop: the available actions as Python prints the dict, the page uncut', () => {
    const shop = getProtocol('shop');
    const page = 'p [SEP] '.repeat(500) + "l'eau";
    const out = shop.formatObservation(page + '\n\nAvailable Actions:\n{"has_search_bar": false, "clickables": ["buy now", "l\'eau"]}');
    expect(out).toBe(`Observation:\n${page}\n\nAvailable Actions:\n{'has_search_bar': False, 'clickables': ['buy now', "l'eau"]}`);
  });

  it('KG, wiki, ReAct and ToolBench wrap results their own way', () => {
    // The KG environment returns the harness's whole text: "Observation: " on results only (api.py, task.py:227-286).
    expect(getProtocol('kg').formatObservation('Observation: variable #0, which are instances of book.author')).toBe(
      'Observation: variable #0, which are instances of book.author',
    );
    expect(getProtocol('kg').formatObservation('Function is not executed!')).toBe('Function is not executed!');
    expect(getProtocol('wiki').formatObservation('Linz is a city.\nIn Austria.', 4)).toBe('Observation 4: Linz is a city.In Austria.');
    expect(getProtocol('react').formatObservation('84')).toBe('Response:84\n');
    expect(getProtocol('toolbench').formatObservation('84 €')).toBe('{"error": "", "response": "84 \\u20ac"}');
    expect(getProtocol('household').formatObservation('Nothing happened.')).toBe('Nothing happened.');
  });
});

describe('prompts', () => {
  it('every protocol has a prompt, a task wrapper and examples that alternate correctly', () => {
    for (const p of Object.values(protocols)) {
      expect(p.systemPrompt({ tools: TOOLS }).length).toBeGreaterThan(200);
      expect(p.taskMessage('TASK')).toContain('TASK');
      const ex = p.examples ?? [];
      // Examples follow the system turn (a human turn), so they start with the assistant and
      // end with the assistant before the task message.
      if (ex.length > 0) {
        expect(ex[0].role).toBe('assistant');
        expect(ex[ex.length - 1].role).toBe('assistant');
        ex.forEach((m, i) => expect(m.role).toBe(i % 2 === 0 ? 'assistant' : 'user'));
      }
    }
  });

  it('example assistant turns parse with their own protocol', () => {
    for (const p of Object.values(protocols)) {
      const turns = (p.examples ?? []).filter((m) => m.role === 'assistant').slice(p.id === 'os' ? 0 : 1);
      for (const t of turns) expect(p.parse(t.content).ok, `${p.id}: ${t.content}`).toBe(true);
    }
  });

  it('task messages follow the originals', () => {
    expect(getProtocol('os').taskMessage('q')).toBe('Now, I will start a new problem in a new OS. My problem is:\n\nq');
    expect(getProtocol('kg').taskMessage('q\nEntities: [A]')).toBe('A new question: q\nEntities: [A]');
    expect(getProtocol('household').taskMessage('You are in a room.')).toBe('Here is your task. You are in a room.');
    expect(getProtocol('wiki').taskMessage('Who?')).toBe('Question: Who?');
    expect(getProtocol('toolbench').taskMessage('Convert 5 km.')).toBe('\nConvert 5 km.\nBegin!\n');
  });

  it('ReAct lists tools as lagent prints them', () => {
    const prompt = getProtocol('react').systemPrompt({ tools: TOOLS.slice(0, 1) });
    expect(prompt).toContain(
      "[{'name': 'calculator', 'description': 'Evaluates an arithmetic expression exactly.', 'parameters': [{'name': 'expression', 'type': 'STRING', 'description': 'the expression, e.g. 2*(3+4)'}], 'required': ['expression'], 'parameter_description': 'If you call this tool, you must pass arguments in the JSON format {key: value}, where the key is the parameter name.'}]",
    );
    expect(prompt).toContain("Action:the tool name, should be one of [['calculator']]");
    expect(prompt.endsWith('Begin!')).toBe(true);
  });

  it('ToolBench lists the tools and appends Finish', () => {
    const prompt = getProtocol('toolbench').systemPrompt({ tools: TOOLS.slice(0, 1) });
    expect(prompt).toContain('1.calculator: Evaluates an arithmetic expression exactly.\n');
    expect(prompt).toContain(
      "Specifically, you have access to the following APIs: [{'name': 'calculator_for_calculator', 'description': 'This is the subfunction for tool \"calculator\", you can use this tool.The description of this function is: \"Evaluates an arithmetic expression exactly.\"', 'parameters': {'type': 'object', 'properties': {'expression': {'type': 'string', 'description': 'the expression, e.g. 2*(3+4)'}}, 'required': ['expression'], 'optional': []}}, {'name': 'Finish'",
    );
    expect(prompt).toContain("'enum': ['give_answer', 'give_up_and_restart']");
  });

  it('parse errors tell the model the expected format', () => {
    const os = getProtocol('os').parse('hello');
    expect(!os.ok && os.observation).toContain('Act: bash');
    const db = getProtocol('db').parse('hello');
    expect(!db.ok && db.observation).toContain('Action: Operation');
    const wiki = getProtocol('wiki').parse('Action: Google[x]', { turn: 2 });
    expect(!wiki.ok && wiki.observation).toBe(
      'Observation 2: Invalid Action. Valid Actions are Lookup[<topic>] Search[<topic>] and Finish[<answer>].',
    );
    const kg = getProtocol('kg').parse('hello');
    expect(!kg.ok && kg.observation).toBe('No executable function found! Need to recheck the action.');
    const react = getProtocol('react').parse('Action: nope\nAction Input: {}', { tools: TOOLS });
    expect(!react.ok && react.observation).toMatch(/^Response:The action is invalid, please check the action name\./);
    const tb = getProtocol('toolbench').parse('Action: nope\nAction Input: {}', { tools: TOOLS });
    expect(!tb.ok && JSON.parse(tb.observation)).toEqual({ error: 'No such function name: nope', response: '' });
  });

  it('ReAct without a tool list accepts any tool name', () => {
    expect(getProtocol('react').parse('Action: anything\nAction Input: {"x": 1}')).toMatchObject({
      ok: true,
      action: { type: 'tool', name: 'anything', args: { x: 1 } },
    });
  });

  it('getProtocol names the known ids for an unknown one', () => {
    expect(() => getProtocol('chess')).toThrow(/Unknown protocol "chess".*os, db, kg, household, shop, wiki, react, toolbench/);
  });
});
