/**
 * The agent loop driven by a scripted fake engine and a small fake environment (pure logic; the
 * real engine and environments are exercised end to end elsewhere).
 */
import { describe, expect, it } from 'vitest';
import type { Engine, GenerateRequest, GenerateResult, TokenEvent } from '../../src/lib/engine/types';
import type { Action, StepResult, TaskEnvironment, TaskSpec } from '../../src/lib/tasks/types';
import type { AgentEvent } from '../../src/lib/agent/events';
import { runEpisode, type EpisodeOptions } from '../../src/lib/agent/loop';
import { getProtocol } from '../../src/lib/agent/protocols';
import type { Protocol } from '../../src/lib/agent/protocols/types';
import { renderPrompt, type ChatMessage } from '../../src/lib/agent/template';
import { TOOLS } from './protocol-corpus.cases';

type Script = string | ((request: GenerateRequest, engine: FakeEngine) => Promise<GenerateResult>);

const timings = { promptTokens: 0, reusedTokens: 0, prefillMs: 0, ttftMs: 0, decodeTokensPerSecond: 0 };

class FakeEngine implements Engine {
  requests: GenerateRequest[] = [];
  interrupts = 0;
  private onInterrupt: (() => void) | undefined;

  constructor(private readonly script: Script[]) {}

  async load(): Promise<never> {
    throw new Error('not used');
  }

  async generate(request: GenerateRequest, onToken?: (e: TokenEvent) => void): Promise<GenerateResult> {
    this.requests.push(request);
    const next = this.script.shift();
    if (next === undefined) throw new Error('the script ran out of outputs');
    if (typeof next === 'function') return next(request, this);
    // Stream the text in 3 cumulative pieces.
    const cuts = [Math.floor(next.length / 3), Math.floor((2 * next.length) / 3), next.length];
    cuts.forEach((c, i) => onToken?.({ text: next.slice(0, c), tokens: i + 1, tokensPerSecond: 10 }));
    return { text: next, tokens: 3, stopReason: 'eos', timings };
  }

  /** A generation that streams one token and then runs until interrupted. */
  static hang(): Script {
    return (_request, engine) =>
      new Promise((resolve) => {
        engine.onInterrupt = () => resolve({ text: 'Think: partial', tokens: 1, stopReason: 'interrupted', timings });
      });
  }

  async interrupt(): Promise<void> {
    this.interrupts++;
    this.onInterrupt?.();
  }
  async reset(): Promise<void> {}
  async countTokens(text: string): Promise<number> {
    return Math.ceil(text.length / 4) + 1;
  }
  async unload(): Promise<void> {}
}

/** A tiny OS-like world: `echo N` prints N; the answer is right when it equals the task's number. */
class CounterEnv implements TaskEnvironment {
  readonly id = 'os' as const;
  steps: Action[] = [];
  constructor(
    private readonly answer = '3',
    private readonly doneOn?: (a: Action) => StepResult | undefined,
  ) {}
  async reset(task: TaskSpec): Promise<string> {
    return `What number is ${task.title}?`;
  }
  async step(action: Action): Promise<StepResult> {
    this.steps.push(action);
    const ended = this.doneOn?.(action);
    if (ended) return ended;
    if (action.type === 'final') {
      const ok = action.answer === this.answer;
      return { observation: ok ? 'correct' : 'wrong', done: true, reward: ok ? 1 : 0 };
    }
    if (action.type === 'finish') return { observation: '', done: true, reward: 0.5 };
    const script = typeof action.args === 'string' ? action.args : JSON.stringify(action.args);
    return { observation: script.replace(/^echo /, ''), done: false, reward: 0 };
  }
}

const TASK: TaskSpec = { id: 't1', env: 'os', title: 'three' };
const bash = (cmd: string, think = 'run it') => `Think: ${think}\n\nAct: bash\n\n\`\`\`bash\n${cmd}\n\`\`\``;
const answer = (x: string) => `Think: I know it.\n\nAct: answer(${x})`;

async function collect(
  engine: Engine,
  env: TaskEnvironment,
  protocol: Protocol = getProtocol('os'),
  options: Partial<EpisodeOptions> = {},
): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const e of runEpisode(engine, env, protocol, { task: TASK, ...options })) events.push(e);
  return events;
}

const last = (events: AgentEvent[]) => events.at(-1) as Extract<AgentEvent, { type: 'done' }>;
const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

function prefixOf(protocol: Protocol, taskText: string, tools?: typeof TOOLS): ChatMessage[] {
  return [
    { role: 'system', content: protocol.systemPrompt({ tools }) },
    ...(protocol.examples ?? []),
    { role: 'user', content: protocol.taskMessage(taskText) },
  ];
}

describe('runEpisode', () => {
  it('runs tool turns, feeds observations back in the template, and ends on the final answer', async () => {
    const os = getProtocol('os');
    const engine = new FakeEngine([bash('echo 3'), answer('3')]);
    const env = new CounterEnv();
    const events = await collect(engine, env);

    expect(events.filter((e) => e.type !== 'token').map((e) => e.type)).toEqual([
      'turn-start', 'thought', 'action', 'observation',
      'turn-start', 'thought', 'action', 'observation', 'final', 'done',
    ]);
    expect(last(events)).toMatchObject({ reason: 'final', reward: 1, steps: 2 });
    expect(ofType(events, 'action').map((e) => e.action)).toEqual([
      { type: 'tool', name: 'bash', args: 'echo 3' },
      { type: 'final', answer: '3' },
    ]);
    expect(ofType(events, 'observation')[0]).toMatchObject({ text: 'The output of the OS:\n\n3', raw: '3', source: 'env' });

    const prefix = prefixOf(os, 'What number is three?');
    expect(engine.requests[0].prompt).toBe(renderPrompt(prefix));
    const second: ChatMessage[] = [
      ...prefix,
      { role: 'assistant', content: bash('echo 3') },
      { role: 'user', content: 'The output of the OS:\n\n3' },
    ];
    expect(engine.requests[1].prompt).toBe(renderPrompt(second));
    expect(engine.requests[1].prompt.startsWith(engine.requests[0].prompt)).toBe(true);
    expect(env.steps).toEqual([
      { type: 'tool', name: 'bash', args: 'echo 3' },
      { type: 'final', answer: '3' },
    ]);
    expect(last(events).transcript).toEqual([...second, { role: 'assistant', content: answer('3') }, { role: 'user', content: 'The output of the OS:\n\ncorrect' }]);
  });

  it('streams token events with the whole text so far', async () => {
    const text = bash('echo 3');
    const events = await collect(new FakeEngine([text, answer('3')]), new CounterEnv());
    const tokens = ofType(events, 'token').filter((e) => e.turn === 1);
    expect(tokens.map((t) => t.text)).toEqual([text.slice(0, Math.floor(text.length / 3)), text.slice(0, Math.floor((2 * text.length) / 3)), text]);
  });

  it('uses the Agent-FLAN sampling defaults and the protocol stop strings, and lets options override them', async () => {
    const engine = new FakeEngine([answer('3')]);
    await collect(engine, new CounterEnv());
    expect(engine.requests[0]).toMatchObject({ temperature: 0.1, topP: 0.8, maxNewTokens: 1024 });

    const kg = new FakeEngine(['Final Answer: #0']);
    await collect(kg, new CounterEnv('#0'), getProtocol('kg'), { sampling: { temperature: 0, topP: 1, maxNewTokens: 200, seed: 7 } });
    expect(kg.requests[0]).toMatchObject({ temperature: 0, topP: 1, maxNewTokens: 200, seed: 7, stop: ['\nObservation:'] });
  });

  it('feeds a parse error back in the protocol words and goes on', async () => {
    const engine = new FakeEngine(['I think the answer is three.', answer('3')]);
    const events = await collect(engine, new CounterEnv());
    const error = ofType(events, 'error')[0];
    expect(error).toMatchObject({ turn: 1, kind: 'parse' });
    const obs = ofType(events, 'observation')[0];
    expect(obs.source).toBe('parse-error');
    expect(obs.text).toContain('Act: bash');
    expect(engine.requests[1].prompt).toContain('<|Human|>\u0D46' + obs.text + '\n ');
    expect(last(events)).toMatchObject({ reason: 'final', reward: 1, steps: 2 });
  });

  it("ends when the environment says done after a tool action, with the environment's reward", async () => {
    const env = new CounterEnv('3', (a) => (a.type === 'tool' && a.args === 'buy' ? { observation: 'Thank you', done: true, reward: 0.75 } : undefined));
    const events = await collect(new FakeEngine([bash('echo 1'), bash('buy')]), env);
    expect(last(events)).toMatchObject({ reason: 'env-done', reward: 0.75, steps: 2 });
  });

  it('goes on when the environment does not accept the answer', async () => {
    const env = new CounterEnv('#3', (a) =>
      a.type === 'final' && a.answer === '#9' ? { observation: 'Invalid variable id! Need to recheck the action.', done: false, reward: 0 } : undefined,
    );
    const engine = new FakeEngine(['Final Answer: #9', 'Final Answer: #3']);
    const events = await collect(engine, env, getProtocol('kg'));
    expect(ofType(events, 'final').map((e) => e.answer)).toEqual(['#3']);
    expect(engine.requests[1].prompt).toContain('\n <|Human|>\u0D46Invalid variable id! Need to recheck the action.\n ');
    expect(last(events)).toMatchObject({ reason: 'final', reward: 1, steps: 2 });
  });

  it('ends on finish with the reward the environment gives', async () => {
    const events = await collect(new FakeEngine(['Think: done.\n\nAct: finish']), new CounterEnv());
    expect(last(events)).toMatchObject({ reason: 'finish', reward: 0.5, steps: 1 });
  });

  it("stops at the protocol's max turns", async () => {
    const os = getProtocol('os');
    const script = Array.from({ length: os.maxTurns }, (_, i) => bash(`echo ${i}`));
    const env = new CounterEnv();
    const events = await collect(new FakeEngine(script), env);
    expect(last(events)).toMatchObject({ reason: 'max-turns', reward: 0, steps: os.maxTurns });
    expect(env.steps.length).toBe(os.maxTurns);
  });

  it('stops on three identical consecutive actions without running the third', async () => {
    const env = new CounterEnv();
    const events = await collect(new FakeEngine([bash('ls', 'a'), bash('ls', 'b'), bash('ls', 'c')]), env);
    expect(last(events)).toMatchObject({ reason: 'repeated-action', steps: 3 });
    expect(env.steps.length).toBe(2);
    expect(last(events).transcript.at(-1)).toEqual({ role: 'assistant', content: bash('ls', 'c') });
  });

  it('does not count repeats broken by a parse error', async () => {
    const env = new CounterEnv();
    const events = await collect(new FakeEngine([bash('ls'), bash('ls'), 'oops', bash('ls'), answer('3')]), env);
    expect(last(events)).toMatchObject({ reason: 'final', steps: 5 });
    expect(env.steps.length).toBe(4);
  });

  it('interrupts a running generation when the signal aborts', async () => {
    const engine = new FakeEngine([bash('echo 1'), FakeEngine.hang()]);
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    for await (const e of runEpisode(engine, new CounterEnv(), getProtocol('os'), { task: TASK, signal: controller.signal })) {
      events.push(e);
      if (e.type === 'turn-start' && e.turn === 2) setTimeout(() => controller.abort(), 0);
    }
    expect(engine.interrupts).toBeGreaterThanOrEqual(1);
    expect(last(events)).toMatchObject({ reason: 'interrupted', steps: 2 });
    expect(engine.requests.length).toBe(2);
  });

  it('does not generate at all when already aborted', async () => {
    const engine = new FakeEngine([answer('3')]);
    const controller = new AbortController();
    controller.abort();
    const events = await collect(engine, new CounterEnv(), getProtocol('os'), { signal: controller.signal });
    expect(events.map((e) => e.type)).toEqual(['done']);
    expect(last(events)).toMatchObject({ reason: 'interrupted', steps: 0 });
    expect(engine.requests.length).toBe(0);
  });

  it('interrupts the engine when the consumer stops iterating mid-generation', async () => {
    const engine = new FakeEngine([bash('echo 1')]);
    const gen = runEpisode(engine, new CounterEnv(), getProtocol('os'), { task: TASK });
    expect((await gen.next()).value).toMatchObject({ type: 'turn-start' });
    expect((await gen.next()).value).toMatchObject({ type: 'token' });
    await gen.return(undefined);
    expect(engine.interrupts).toBe(1);
  });

  it('does not interrupt the engine when the consumer stops between generations', async () => {
    const engine = new FakeEngine([bash('echo 1')]);
    const gen = runEpisode(engine, new CounterEnv(), getProtocol('os'), { task: TASK });
    let e;
    do e = (await gen.next()).value;
    while (e && e.type !== 'observation');
    await gen.return(undefined);
    expect(engine.interrupts).toBe(0);
  });

  it('reports an engine failure and stops', async () => {
    const engine = new FakeEngine([async () => { throw new Error('GPU device lost'); }]);
    const events = await collect(engine, new CounterEnv());
    expect(ofType(events, 'error')[0]).toMatchObject({ kind: 'engine', message: 'GPU device lost' });
    expect(last(events)).toMatchObject({ reason: 'error' });
  });

  it('reports an environment failure and stops', async () => {
    const env = new CounterEnv('3', () => { throw new Error('sandbox crashed'); });
    const events = await collect(new FakeEngine([bash('ls')]), env);
    expect(ofType(events, 'error')[0]).toMatchObject({ kind: 'env', message: 'sandbox crashed' });
    expect(last(events)).toMatchObject({ reason: 'error', steps: 1 });
  });

  it('stops with context-full when the fixed prompt leaves no room to generate', async () => {
    const engine = new FakeEngine([answer('3')]);
    const events = await collect(engine, new CounterEnv(), getProtocol('os'), { contextLength: 512 });
    expect(ofType(events, 'error')[0]).toMatchObject({ kind: 'context' });
    expect(last(events)).toMatchObject({ reason: 'context-full', steps: 0 });
    expect(engine.requests.length).toBe(0);
  });

  it('generates with a small max_new_tokens the caller asked for when the context has room', async () => {
    const engine = new FakeEngine([answer('3')]);
    const events = await collect(engine, new CounterEnv(), getProtocol('os'), { sampling: { maxNewTokens: 16 } });
    expect(ofType(events, 'error')).toEqual([]);
    expect(engine.requests[0].maxNewTokens).toBe(16);
  });

  it('shrinks max_new_tokens to the room left when the prompt cannot be cut further', async () => {
    const os = getProtocol('os');
    const prefixTokens = Math.ceil(renderPrompt(prefixOf(os, 'What number is three?')).length / 4) + 1;
    const engine = new FakeEngine([answer('3')]);
    await collect(engine, new CounterEnv(), os, { contextLength: prefixTokens + 300 });
    expect(engine.requests[0].maxNewTokens).toBe(300);
  });

  it('cuts long observations to keep prompt + max_new_tokens inside the context', async () => {
    const env = new CounterEnv();
    const big = (n: number) => bash(`echo ${String(n).repeat(700)}`);
    const engine = new FakeEngine([big(1), big(2), big(3), big(4), big(5), answer('3')]);
    const contextLength = 2600;
    const events = await collect(engine, env, getProtocol('os'), { contextLength, sampling: { maxNewTokens: 512 } });
    for (const r of engine.requests) expect((await engine.countTokens(r.prompt)) + r.maxNewTokens!).toBeLessThanOrEqual(contextLength);
    expect(ofType(events, 'turn-start').some((e) => e.truncatedObservations > 0 || e.droppedPairs > 0)).toBe(true);
    expect(last(events)).toMatchObject({ reason: 'final', reward: 1 });
    // The transcript keeps everything uncut.
    expect(last(events).transcript.filter((m) => m.content.includes('1'.repeat(700))).length).toBeGreaterThan(0);
  });

  it('strips an invented-observation stop string from the history', async () => {
    const engine = new FakeEngine(['Thought: t\nAction: get_relations(X)\nObservation:', 'Final Answer: #0']);
    await collect(engine, new CounterEnv('#0'), getProtocol('kg'));
    expect(engine.requests[1].prompt).toContain('Action: get_relations(X)\u0D3F\n ');
  });

  it('passes the tools to the prompt and the parser', async () => {
    const react = getProtocol('react');
    const engine = new FakeEngine([
      'Thought: search\nAction: web_search\nAction Input: {"q": "x"}',
      'Thought: calc\nAction: calculator\nAction Input: {"expression": "1+2"}',
      'Thought: done\nFinal Answer: 3',
    ]);
    const env = new CounterEnv();
    const events = await collect(engine, env, react, { tools: TOOLS });
    expect(engine.requests[0].prompt).toContain(react.systemPrompt({ tools: TOOLS }));
    expect(ofType(events, 'error')[0]).toMatchObject({ kind: 'parse', message: 'unknown tool "web_search"' });
    expect(env.steps[0]).toEqual({ type: 'tool', name: 'calculator', args: { expression: '1+2' } });
    expect(ofType(events, 'observation')[1].text).toBe('Response:{"expression":"1+2"}\n');
    expect(last(events)).toMatchObject({ reason: 'final', reward: 1 });
  });
});

describe('runEpisode in strict mode', () => {
  it('ends on a reply the original harness cannot parse, judging what it judged (OS: the answer None, as finish)', async () => {
    const env = new CounterEnv();
    const events = await collect(new FakeEngine([bash('echo 1'), 'I think it is 3.']), env, getProtocol('os'), { mode: 'strict' });
    expect(last(events)).toMatchObject({ reason: 'format-error', mode: 'strict', steps: 2, reward: 0.5 });
    expect(env.steps).toEqual([{ type: 'tool', name: 'bash', args: 'echo 1' }, { type: 'finish' }]);
    expect(ofType(events, 'error').map((e) => e.kind)).toEqual(['parse']);
    // The model was never told anything about the bad reply: it is the transcript's last turn.
    expect(last(events).transcript.at(-1)).toEqual({ role: 'assistant', content: 'I think it is 3.' });
    expect(ofType(events, 'observation')).toHaveLength(1);
  });

  it('the same reply in lenient mode gets the format reminder and another try', async () => {
    const env = new CounterEnv();
    const events = await collect(new FakeEngine([bash('echo 1'), 'I think it is 3.', answer('3')]), env, getProtocol('os'), { mode: 'lenient' });
    expect(last(events)).toMatchObject({ reason: 'final', mode: 'lenient', reward: 1 });
    expect(ofType(events, 'observation')[1]).toMatchObject({ source: 'parse-error' });
  });

  it('a parse failure that ends without anything to judge scores 0', async () => {
    const protocol: Protocol = {
      ...getProtocol('os'),
      parse: () => ({ ok: false, thought: '', error: 'bad', observation: 'x', endsEpisode: true }),
    };
    const env = new CounterEnv();
    const events = await collect(new FakeEngine(['anything']), env, protocol, { mode: 'strict' });
    expect(last(events)).toMatchObject({ reason: 'format-error', reward: 0, steps: 1 });
    expect(env.steps).toEqual([]);
  });

  it('uses the environment\'s strictReward when it has one', async () => {
    const env = new CounterEnv('3', (a) => (a.type === 'final' ? { observation: 'ok', done: true, reward: 1, strictReward: 0 } : undefined));
    expect(last(await collect(new FakeEngine([answer('3')]), env, getProtocol('os'), { mode: 'strict' }))).toMatchObject({ reason: 'final', reward: 0 });
    const env2 = new CounterEnv('3', (a) => (a.type === 'final' ? { observation: 'ok', done: true, reward: 1, strictReward: 0 } : undefined));
    expect(last(await collect(new FakeEngine([answer('3')]), env2))).toMatchObject({ reason: 'final', reward: 1 });
  });

  it('has no generic repeat rule (the originals have none), only a protocol\'s own', async () => {
    const env = new CounterEnv();
    const events = await collect(new FakeEngine([bash('ls'), bash('ls'), bash('ls'), answer('3')]), env, getProtocol('os'), { mode: 'strict' });
    expect(last(events)).toMatchObject({ reason: 'final', reward: 1 });
    expect(env.steps.length).toBe(4);

    // ALFWorld's rule: after the step, more than three replies and the last three the same (task.py:208-214).
    const household = getProtocol('household');
    const echo = new CounterEnv();
    const act = 'ACTION: look\n';
    const replies = [act, act, act, act];
    const ended = await collect(new FakeEngine(replies), echo, { ...household, examplesFor: undefined }, { mode: 'strict' });
    expect(last(ended)).toMatchObject({ reason: 'repeated-action', steps: 4, reward: 0 });
    expect(echo.steps.length).toBe(4); // the fourth ran before the check, as there
  });

  it('judges what the original judges when the turns run out (OS: the answer None)', async () => {
    const env = new CounterEnv();
    const turns = () => Array.from({ length: 8 }, (_, i) => bash(`echo ${i}`));
    const events = await collect(new FakeEngine(turns()), env, getProtocol('os'), { mode: 'strict' });
    expect(last(events)).toMatchObject({ reason: 'max-turns', steps: 8, reward: 0.5 });
    expect(env.steps.at(-1)).toEqual({ type: 'finish' });
    const lenient = await collect(new FakeEngine(turns()), new CounterEnv(), getProtocol('os'));
    expect(last(lenient)).toMatchObject({ reason: 'max-turns', reward: 0 });
  });

  it('passes the turn to the parser: AgentBench DB reads only the answer of its 16th reply', async () => {
    const db = getProtocol('db');
    const op = 'Action: Operation\n```sql\nSELECT 1;\n```';
    const env = new CounterEnv('x', (a) => (a.type === 'final' ? { observation: '', done: true, reward: a.answer === '' ? 0.25 : 1 } : undefined));
    const events = await collect(new FakeEngine(Array.from({ length: 16 }, () => op)), env, db, { mode: 'strict' });
    expect(env.steps.filter((s) => s.type === 'tool')).toHaveLength(15);
    expect(env.steps.at(-1)).toEqual({ type: 'final', answer: '' });
    expect(last(events)).toMatchObject({ reason: 'format-error', steps: 16, reward: 0.25 });
  });
});
