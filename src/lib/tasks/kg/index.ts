/**
 * Knowledge-graph QA in AgentBench's format: seven functions over the graph, each result stored as a variable
 * `#N`, and `Final Answer: #N` scored by F1 (and exact match) of the answer's entity set against the gold set.
 * Observations use AgentBench's wording.
 */
import type { Action, EnvModule, EnvView, StepResult, TaskEnvironment } from '../types';
import { knowledgeGraph, type KnowledgeGraph } from './graph';
import { kgExperts, kgTasks, type KgTask } from './questions';

interface Variable {
  type: string;
  entities: string[];
}

export const NUMBER_TYPE = 'type.int';

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

export class KgEnvironment implements TaskEnvironment<KgTask> {
  readonly id = 'kg' as const;
  private task?: KgTask;
  private variables: Variable[] = [];
  private answer?: string[];
  private reward = 0;

  constructor(private readonly graph: KnowledgeGraph = knowledgeGraph()) {}

  async reset(task: KgTask): Promise<string> {
    this.task = task;
    this.variables = [];
    this.answer = undefined;
    this.reward = 0;
    return `${task.data.question}\nEntities: [${task.data.entities.join(', ')}]`;
  }

  async step(action: Action): Promise<StepResult> {
    if (!this.task) throw new Error('KgEnvironment.step: call reset(task) first');
    if (this.answer) return { observation: 'The episode has already finished.', done: true, reward: this.reward };
    if (action.type === 'final') return this.final(Array.isArray(action.answer) ? action.answer.join(' ') : action.answer);
    if (action.type !== 'tool') return this.observe('No executable function found! Need to recheck the action.');
    const args = Array.isArray(action.args)
      ? action.args.map((a) => a.trim())
      : typeof action.args === 'string'
        ? action.args.split(/\s*,\s*/).map((a) => a.trim())
        : [];
    const call = `${action.name}(${args.join(', ')})`;
    try {
      return this.observe(this.call(action.name, args));
    } catch (e) {
      if (!(e instanceof CallError)) throw e;
      if (e.message === 'unknown') return this.observe('Function is not executed!');
      if (action.name === 'intersection' && e.message === 'type') {
        return this.observe(`${call} cannot be executed. The two variables are not of the same type. You may further explore them by call get_relations`);
      }
      return this.observe(`${call} cannot be executed. You may make a mistake and need to fix it.`);
    }
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

  private observe(observation: string): StepResult {
    return { observation, done: false, reward: 0 };
  }

  private final(text: string): StepResult {
    const m = /#?\s*(\d+)/.exec(text);
    const variable = m ? this.variables[Number(m[1])] : undefined;
    if (!variable) return this.observe('Invalid variable id! Need to recheck the action.');
    this.answer = variable.entities;
    this.reward = setF1(this.answer, this.task!.data.answer);
    return { observation: `Final Answer: #${m![1]} = [${this.answer.join(', ')}]`, done: true, reward: this.reward };
  }

  private call(name: string, args: string[]): string {
    const g = this.graph;
    const arity: Record<string, number> = { get_relations: 1, get_neighbors: 2, intersection: 2, get_attributes: 1, argmax: 2, argmin: 2, count: 1 };
    if (!(name in arity)) throw new CallError('unknown');
    if (args.length !== arity[name]) throw new CallError('arity');
    const x = this.resolve(args[0]);
    switch (name) {
      case 'get_relations':
        return `[${this.relations(x).join(', ')}]`;
      case 'get_attributes':
        return `[${this.attributes(x).join(', ')}]`;
      case 'get_neighbors': {
        const relation = args[1];
        if (!this.relations(x).includes(relation)) throw new CallError('relation');
        return this.store({ type: g.ranges.get(relation)!, entities: sorted(x.entities.flatMap((e) => g.neighbors(e, relation))) });
      }
      case 'intersection': {
        const y = this.resolve(args[1]);
        if (x.type !== y.type) throw new CallError('type');
        const other = new Set(y.entities);
        return this.store({ type: x.type, entities: x.entities.filter((e) => other.has(e)) });
      }
      case 'argmax':
      case 'argmin': {
        const attribute = args[1];
        if (!this.attributes(x).includes(attribute)) throw new CallError('attribute');
        const valued = x.entities.filter((e) => g.attribute(e, attribute) !== undefined);
        const values = valued.map((e) => g.attribute(e, attribute)!);
        const best = name === 'argmax' ? Math.max(...values) : Math.min(...values);
        return this.store({ type: x.type, entities: valued.filter((_, i) => values[i] === best) });
      }
      default: {
        if (x.type === NUMBER_TYPE) throw new CallError('number');
        const n = this.variables.length;
        this.variables.push({ type: NUMBER_TYPE, entities: [String(x.entities.length)] });
        return `variable #${n}, which is a number`;
      }
    }
  }

  private store(v: Variable): string {
    this.variables.push(v);
    return `variable #${this.variables.length - 1}, which are instances of ${v.type}`;
  }

  private resolve(arg: string): Variable {
    const a = arg.replace(/^variable\s+/i, '').trim();
    const m = /^#(\d+)$/.exec(a);
    if (m) {
      const v = this.variables[Number(m[1])];
      if (!v) throw new CallError('variable');
      return v;
    }
    const name = this.graph.resolve(a);
    if (!name) throw new CallError('entity');
    return { type: this.graph.types.get(name)!, entities: [name] };
  }

  private relations(v: Variable): string[] {
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
