/**
 * Knowledge-graph QA as AgentBench runs it (`AgentBench.old/src/tasks/knowledgegraph/task.py` and `api.py`, copies in
 * tests/fixtures/agentbench/sources): seven functions over the graph, each result stored as a variable `#N`, and
 * `Final Answer: #N` scored by F1 of the answer's entity set against the gold set (task.py:109-130).
 * Observations are the harness's texts: "Observation: ..." for a result (api.py:78, 98, 119, 148, 169, 189), bare
 * error texts otherwise (task.py:227, 236, 271-275). As api.py's caches require, `get_neighbors` needs an earlier
 * `get_relations` of the same variable or entity and a relation it listed (api.py:79, 94), `argmax`/`argmin` an
 * earlier `get_attributes` of the same variable (api.py:167, 186, 201); a variable is the same when its derivation is
 * (api.py:26-32). Entity arguments are the task's entity names, exactly (task.py:254); `get_attributes`, `count`,
 * `intersection` and `argmax`/`argmin` take variables only (they read `.program` / `.type`).
 * The graph is our own (Freebase cannot be shipped); the caches live for one episode, where the original's were
 * module globals shared by every question of a run.
 */
import type { Action, EnvModule, EnvView, StepResult, TaskEnvironment } from '../types';
import { knowledgeGraph, type KnowledgeGraph } from './graph';
import { kgExperts, kgTasks, type KgTask } from './questions';

interface Variable {
  type: string;
  entities: string[];
  /** The derivation, as api.py writes its S-expressions; two variables are the same when it is. */
  program: string;
}

/** A resolved argument: a variable, one of the task's entities, or text as written (a relation, an attribute). */
type Arg = { variable: Variable } | { entity: string } | { text: string };

export const NUMBER_TYPE = 'type.int';

/** The functions the harness calls (api.py; `union` is there too, unadvertised). */
const API = new Set(['get_relations', 'get_neighbors', 'intersection', 'union', 'get_attributes', 'argmax', 'argmin', 'count']);
/**
 * Every other name `getattr(sys.modules[task module], name)` finds (task.py:243): task.py's own globals and what
 * `from .api import *` brings. Calling one fails, so it gets "cannot be executed"; any other name is not found.
 */
const MODULE_NAMES = new Set([
  'Task', 'Dataset', 'DataPiece', 'SparqlExecuter', 're', 'sys', 'json', 'INSTRUCTIONS', 'DEMOS', 'ONE_SHOT', 'KnowledgeGraph',
  'Union', 'Path', 'postprocess_raw_code', 'lisp_to_sparql', 'range_info', 'path', 'f', 'vocab', 'attributes', 'relations',
  'variable_relations_cache', 'variable_attributes_cache', 'Variable', 'final_execute',
  '__name__', '__doc__', '__package__', '__loader__', '__spec__', '__file__', '__cached__', '__builtins__',
]);

const INVALID_ID = 'Invalid variable id! Need to recheck the action.';

class CallError extends Error {}

/** F1 of two answer sets, as AgentBench computes it (0 when nothing overlaps). */
export function setF1(predicted: readonly string[], gold: readonly string[]): number {
  const p = new Set(predicted);
  const g = new Set(gold);
  const tp = [...p].filter((x) => g.has(x)).length;
  if (tp === 0) return 0;
  const precision = tp / p.size;
  const recall = tp / g.size;
  return (2 * precision * recall) / (precision + recall);
}

const sorted = (items: Iterable<string>) => [...new Set(items)].sort();

const cannot = (name: string, args: readonly string[]) =>
  name === 'intersection'
    ? `${name}(${args.join(', ')}) cannot be executed. The two variables are not of the same type. You may further explore them by call get_relations`
    : `${name}(${args.join(', ')}) cannot be executed. You may make a mistake and need to fix it.`;

export class KgEnvironment implements TaskEnvironment<KgTask> {
  readonly id = 'kg' as const;
  private task?: KgTask;
  private variables: Variable[] = [];
  private relationsCache = new Map<string, string[]>();
  private attributesCache = new Map<string, string[]>();
  /** task.py's `ori_arguments`: the arguments of the last call it parsed, which its later error texts reuse. */
  private lastArgs?: string[];
  private answer?: string[];
  private reward = 0;

  constructor(private readonly graph: KnowledgeGraph = knowledgeGraph()) {}

  async reset(task: KgTask): Promise<string> {
    this.task = task;
    this.variables = [];
    this.relationsCache = new Map();
    this.attributesCache = new Map();
    this.lastArgs = undefined;
    this.answer = undefined;
    this.reward = 0;
    return `${task.data.question}\nEntities: [${task.data.entities.join(', ')}]`;
  }

  async step(action: Action): Promise<StepResult> {
    if (!this.task) throw new Error('KgEnvironment.step: call reset(task) first');
    if (this.answer) return { observation: 'The episode has already finished.', done: true, reward: this.reward };
    if (action.type === 'final') return this.final(Array.isArray(action.answer) ? action.answer.join(' ') : action.answer);
    if (action.type !== 'tool') return this.observe('No executable function found! Need to recheck the action.');
    if (action.name === 'action' && typeof action.args === 'string') return this.observe(this.runLine(action.args));
    const args = Array.isArray(action.args)
      ? action.args.map((a) => a.trim())
      : typeof action.args === 'string'
        ? action.args.split(/\s*,\s*/).map((a) => a.trim())
        : [];
    if (!API.has(action.name) && !MODULE_NAMES.has(action.name)) return this.observe('Function is not executed!');
    // A call read by the lenient parser: entity names may differ from the task's in case.
    const entities = this.task.data.entities;
    for (let i = 0; i < args.length; i++) args[i] = entities.find((e) => e.toLowerCase() === args[i].toLowerCase()) ?? args[i];
    this.lastArgs = args;
    return this.observe(this.tryCall(action.name, args));
  }

  async view(): Promise<EnvView> {
    return {
      kind: 'kg',
      question: this.task?.data.question,
      entities: this.task?.data.entities,
      variables: this.variables.map((v, i) => ({ id: `#${i}`, type: v.type, size: v.entities.length, sample: v.entities.slice(0, 8) })),
      answer: this.answer ?? null,
      gold: this.answer ? this.task?.data.answer : undefined,
      exactMatch: this.answer && this.task ? this.reward === 1 : undefined,
    };
  }

  /**
   * task.py:238-280 for one "Action..." line: each `name(` in turn until one runs; the text of the last failure
   * otherwise ("Function is not executed!" when the line names no function).
   */
  private runLine(line: string): string {
    let message = 'Function is not executed!';
    for (const [, name] of line.matchAll(/(\w+)\(/g)) {
      const m = API.has(name) || MODULE_NAMES.has(name) ? new RegExp(`${name}\\((.+?)\\)`).exec(line) : null;
      if (!m) {
        // getattr or matches[0] failed before ori_arguments was set this time: the message uses the previous one.
        message = this.lastArgs
          ? cannot(name, this.lastArgs)
          : `I may make a syntax error when calling ${name} (e.g., unmatched parenthesis). I need to fix it and reuse the tool`;
        continue;
      }
      const args = m[1].split(/\s*,\s*/);
      this.lastArgs = args;
      const result = this.tryCall(name, args);
      if (result.startsWith('Observation: ')) return result;
      message = result;
    }
    return message;
  }

  private tryCall(name: string, args: string[]): string {
    try {
      if (!API.has(name)) throw new CallError('not callable');
      return this.call(name, args.map((a) => this.resolve(a)));
    } catch (e) {
      if (!(e instanceof CallError)) throw e;
      return cannot(name, args);
    }
  }

  private observe(observation: string): StepResult {
    return { observation, done: false, reward: 0 };
  }

  private final(text: string): StepResult {
    const m = /#?\s*(\d+)/.exec(text);
    const variable = m ? this.variables[Number(m[1])] : undefined;
    if (!variable) return this.observe(INVALID_ID);
    this.answer = variable.entities;
    this.reward = setF1(this.answer, this.task!.data.answer);
    return { observation: `Final Answer: #${m![1]} = [${this.answer.join(', ')}]`, done: true, reward: this.reward };
  }

  private call(name: string, args: Arg[]): string {
    const g = this.graph;
    const arity = name === 'get_relations' || name === 'get_attributes' || name === 'count' ? 1 : 2;
    if (args.length !== arity) throw new CallError('arity');
    const [x, y] = args;
    switch (name) {
      case 'get_relations': {
        const relations = this.relations(x);
        this.relationsCache.set(this.key(x), relations);
        return `Observation: [${relations.join(', ')}]`;
      }
      case 'get_neighbors': {
        const relation = 'text' in y ? y.text : undefined;
        if (relation === undefined || !this.relationsCache.get(this.key(x))?.includes(relation)) throw new CallError('relation');
        const from = this.members(x);
        return this.store({
          type: g.ranges.get(relation)!,
          entities: sorted(from.entities.flatMap((e) => g.neighbors(e, relation))),
          program: `(JOIN ${relation}_inv ${from.program})`,
        });
      }
      case 'intersection':
      case 'union': {
        const a = this.variable(x);
        const b = this.variable(y);
        if (a.type !== b.type) throw new CallError('type');
        const other = new Set(b.entities);
        return name === 'intersection'
          ? this.store({ type: a.type, entities: a.entities.filter((e) => other.has(e)), program: `(AND ${a.program} ${b.program})` })
          : this.store({ type: a.type, entities: sorted([...a.entities, ...b.entities]), program: `(OR ${a.program} ${b.program})` });
      }
      case 'get_attributes': {
        const v = this.variable(x);
        const attributes = this.attributes(v);
        this.attributesCache.set(this.key(x), attributes);
        return `Observation: [${attributes.join(', ')}]`;
      }
      case 'argmax':
      case 'argmin': {
        const attribute = 'text' in y ? y.text : undefined;
        if (attribute === undefined || !this.attributesCache.get(this.key(x))?.includes(attribute)) throw new CallError('attribute');
        const v = this.variable(x);
        const valued = v.entities.filter((e) => g.attribute(e, attribute) !== undefined);
        const values = valued.map((e) => g.attribute(e, attribute)!);
        const best = name === 'argmax' ? Math.max(...values) : Math.min(...values);
        return this.store({
          type: v.type,
          entities: valued.filter((_, i) => values[i] === best),
          program: `(${name.toUpperCase()} ${v.program} ${attribute})`,
        });
      }
      default: {
        const v = this.variable(x);
        if (v.type === NUMBER_TYPE) throw new CallError('number');
        this.variables.push({ type: NUMBER_TYPE, entities: [String(v.entities.length)], program: `(COUNT ${v.program})` });
        return `Observation: variable #${this.variables.length - 1}, which is a number`;
      }
    }
  }

  private store(v: Variable): string {
    this.variables.push(v);
    return `Observation: variable #${this.variables.length - 1}, which are instances of ${v.type}`;
  }

  /** task.py:247-255: "variable "/"Variable " dropped, "#N" a variable (Python indexing), a task entity by name. */
  private resolve(arg: string): Arg {
    const a = arg.replaceAll('variable ', '').replaceAll('Variable ', '');
    if (a.startsWith('#')) {
      const n = /^\s*([+-]?\d+)\s*$/.exec(a.slice(1));
      if (!n) throw new CallError('variable id');
      const i = Number(n[1]);
      const v = this.variables[i < 0 ? this.variables.length + i : i];
      if (!v) throw new CallError('variable');
      return { variable: v };
    }
    if (this.task!.data.entities.includes(a)) return { entity: a };
    return { text: arg };
  }

  /** What api.py's caches are keyed by: a variable's derivation, or the entity. */
  private key(x: Arg): string {
    if ('variable' in x) return `v:${x.variable.program}`;
    if ('entity' in x) return `e:${x.entity}`;
    return `t:${x.text}`;
  }

  private variable(x: Arg): Variable {
    if (!('variable' in x)) throw new CallError('not a variable');
    return x.variable;
  }

  /** A variable, or an entity as a one-member set (get_relations and get_neighbors take both). */
  private members(x: Arg): Variable {
    if ('variable' in x) return x.variable;
    // An argument that is neither a variable nor a task entity is text, which api.py accepts only as a Freebase id.
    if (!('entity' in x) || !this.graph.types.has(x.entity)) throw new CallError('entity');
    return { type: this.graph.types.get(x.entity)!, entities: [x.entity], program: x.entity };
  }

  private relations(x: Arg): string[] {
    const v = this.members(x);
    if (v.type === NUMBER_TYPE) throw new CallError('number');
    return sorted(v.entities.flatMap((e) => this.graph.relationsOf(e)));
  }

  private attributes(v: Variable): string[] {
    if (v.type === NUMBER_TYPE) throw new CallError('number');
    return sorted(v.entities.flatMap((e) => this.graph.attributesOf(e)));
  }
}

export const envModule: EnvModule<KgTask> = {
  id: 'kg',
  label: 'Knowledge graph (AgentBench-style, over a fictional archipelago)',
  protocolId: 'kg',
  tasks: kgTasks,
  create: async () => new KgEnvironment(),
  experts: kgExperts,
};
