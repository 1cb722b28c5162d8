/**
 * A text-world household simulator with ALFWorld's command grammar and feedback wording. Pure state machine:
 * `execute(command)` returns the feedback text; `goalReached()` checks the task type's success condition.
 */
import { CLEANABLE, COOLABLE, HEATABLE, SLICEABLE, SLICERS, typeOf, type Goal, type Layout, type Receptacle } from './scene';

export const NOTHING = 'Nothing happened.';

/** ALFWorld lists things as "a x 1, a y 2, and a z 3" (always "a"). */
export function listThings(items: readonly string[]): string {
  const a = items.map((i) => `a ${i}`);
  if (a.length === 0) return 'nothing';
  if (a.length === 1) return a[0];
  if (a.length === 2) return `${a[0]}, and ${a[1]}`;
  return `${a.slice(0, -1).join(', ')}, and ${a[a.length - 1]}`;
}

interface ObjectState {
  clean: boolean;
  hot: boolean;
  cool: boolean;
  sliced: boolean;
}

export class Household {
  readonly receptacles: Receptacle[];
  readonly goal: Goal;
  location: Receptacle | null = null;
  holding: string | null = null;
  private readonly open = new Set<string>();
  private readonly lampsOn = new Set<string>();
  private readonly states = new Map<string, ObjectState>();

  constructor(layout: Layout) {
    this.receptacles = layout.receptacles.map((r) => ({ ...r, contents: [...r.contents] }));
    this.goal = layout.goal;
  }

  /** "You are in the middle of a room. Looking quickly around you, you see ..." */
  roomDescription(): string {
    const names = [...this.receptacles]
      .sort((x, y) => (x.type === y.type ? Number(y.name.split(' ').pop()) - Number(x.name.split(' ').pop()) : x.type < y.type ? -1 : 1))
      .map((r) => r.name);
    return `You are in the middle of a room. Looking quickly around you, you see ${listThings(names)}.`;
  }

  isOpen(r: Receptacle): boolean {
    return this.open.has(r.name);
  }

  state(object: string): ObjectState {
    let s = this.states.get(object);
    if (!s) this.states.set(object, (s = { clean: false, hot: false, cool: false, sliced: false }));
    return s;
  }

  execute(raw: string): string {
    const command = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    let m: RegExpExecArray | null;
    if (command === 'look') return this.look();
    if (command === 'inventory' || command === 'inv') return this.holding ? `You are carrying: a ${this.holding}.` : 'You are not carrying anything.';
    if ((m = /^go to (.+)$/.exec(command))) return this.goTo(m[1]);
    if ((m = /^open (.+)$/.exec(command))) return this.setOpen(m[1], true);
    if ((m = /^close (.+)$/.exec(command))) return this.setOpen(m[1], false);
    if ((m = /^take (.+) from (.+)$/.exec(command))) return this.take(m[1], m[2]);
    if ((m = /^put (.+) (?:in\/on|in|on) (.+)$/.exec(command))) return this.put(m[1], m[2]);
    if ((m = /^(clean|heat|cool) (.+) with (.+)$/.exec(command))) return this.treat(m[1] as 'clean' | 'heat' | 'cool', m[2], m[3]);
    if ((m = /^slice (.+) with (.+)$/.exec(command))) return this.slice(m[1], m[2]);
    if ((m = /^use (.+)$/.exec(command))) return this.use(m[1]);
    if ((m = /^examine (.+)$/.exec(command))) return this.examine(m[1]);
    return NOTHING;
  }

  /**
   * The commands that do something now, sorted, as ALFWorld's `admissible_commands` lists them for the harness to
   * snap a command to. Each mirrors a check in `execute`; our own list, for our simulator (ALFWorld's is its own).
   */
  admissibleCommands(): string[] {
    const out = new Set<string>(['inventory', 'look']);
    for (const r of this.receptacles) out.add(`go to ${r.name}`);
    const here = this.location;
    if (this.holding) out.add(`examine ${this.holding}`);
    if (here) {
      out.add(`examine ${here.name}`);
      if (here.openable) out.add(`${this.isOpen(here) ? 'close' : 'open'} ${here.name}`);
      for (const o of here.contents) if (typeOf(o) === 'desklamp') out.add(`use ${o}`);
      if (this.accessible(here)) {
        for (const o of here.contents) {
          out.add(`examine ${o}`);
          if (!this.holding) out.add(`take ${o} from ${here.name}`);
          const knife = this.holding;
          if (knife && SLICERS.has(typeOf(knife)) && SLICEABLE.has(typeOf(o)) && !this.state(o).sliced) out.add(`slice ${o} with ${knife}`);
        }
        if (this.holding) out.add(`put ${this.holding} in/on ${here.name}`);
      }
      const held = this.holding;
      for (const [verb, tool, can] of [['clean', 'sinkbasin', CLEANABLE], ['heat', 'microwave', HEATABLE], ['cool', 'fridge', COOLABLE]] as const) {
        if (held && here.type === tool && can.has(typeOf(held))) out.add(`${verb} ${held} with ${here.name}`);
      }
    }
    return [...out].sort();
  }

  goalReached(): boolean {
    const g = this.goal;
    const isGoalObject = (o: string) => typeOf(o) === g.object;
    if (g.type === 'look_at_obj_in_light') {
      const here = this.location?.contents ?? [];
      return !!this.holding && isGoalObject(this.holding) && here.some((o) => typeOf(o) === g.lamp && this.lampsOn.has(o));
    }
    const needs = (o: string) => {
      const s = this.states.get(o);
      if (g.type === 'pick_clean_then_place') return !!s?.clean;
      if (g.type === 'pick_heat_then_place') return !!s?.hot;
      if (g.type === 'pick_cool_then_place') return !!s?.cool;
      return true;
    };
    const wanted = g.type === 'pick_two_obj_and_place' ? 2 : 1;
    return this.receptacles.some((r) => r.type === g.target && r.contents.filter((o) => isGoalObject(o) && needs(o)).length >= wanted);
  }

  private find(name: string): Receptacle | undefined {
    return this.receptacles.find((r) => r.name === name);
  }

  private describe(r: Receptacle): string {
    if (r.openable && !this.isOpen(r)) return `The ${r.name} is closed.`;
    if (r.openable) return `The ${r.name} is open. In it, you see ${listThings(r.contents)}.`;
    return `On the ${r.name}, you see ${listThings(r.contents)}.`;
  }

  private look(): string {
    if (!this.location) return this.roomDescription();
    return `You are facing the ${this.location.name}. Next to it, you see nothing.`;
  }

  /** TextWorld's raw arrival text starts "You arrive at loc N. " (AgentBench strips it: utils.py:19-22). */
  private goTo(name: string): string {
    const r = this.find(name);
    if (!r) return NOTHING;
    this.location = r;
    return `You arrive at loc ${this.receptacles.indexOf(r) + 1}. ${this.describe(r)}`;
  }

  private here(name: string): Receptacle | undefined {
    return this.location?.name === name ? this.location : undefined;
  }

  private setOpen(name: string, open: boolean): string {
    const r = this.here(name);
    if (!r || !r.openable || this.isOpen(r) === open) return NOTHING;
    if (open) {
      this.open.add(r.name);
      return `You open the ${r.name}. The ${r.name} is open. In it, you see ${listThings(r.contents)}.`;
    }
    this.open.delete(r.name);
    return `You close the ${r.name}.`;
  }

  private accessible(r: Receptacle): boolean {
    return !r.openable || this.isOpen(r);
  }

  private take(object: string, from: string): string {
    const r = this.here(from);
    if (!r || this.holding || !this.accessible(r) || !r.contents.includes(object)) return NOTHING;
    r.contents = r.contents.filter((o) => o !== object);
    this.holding = object;
    return `You pick up the ${object} from the ${r.name}.`;
  }

  private put(object: string, into: string): string {
    const r = this.here(into);
    if (!r || this.holding !== object || !this.accessible(r)) return NOTHING;
    r.contents.push(object);
    this.holding = null;
    return `You put the ${object} in/on the ${r.name}.`;
  }

  private treat(verb: 'clean' | 'heat' | 'cool', object: string, withName: string): string {
    const r = this.here(withName);
    const tool = { clean: 'sinkbasin', heat: 'microwave', cool: 'fridge' }[verb];
    const can = { clean: CLEANABLE, heat: HEATABLE, cool: COOLABLE }[verb];
    if (!r || r.type !== tool || this.holding !== object || !can.has(typeOf(object))) return NOTHING;
    const s = this.state(object);
    if (verb === 'clean') s.clean = true;
    if (verb === 'heat') [s.hot, s.cool] = [true, false];
    if (verb === 'cool') [s.cool, s.hot] = [true, false];
    return `You ${verb} the ${object} using the ${r.name}.`;
  }

  private slice(object: string, knife: string): string {
    const here = this.location;
    if (!here || this.holding !== knife || !SLICERS.has(typeOf(knife)) || !SLICEABLE.has(typeOf(object))) return NOTHING;
    if (!this.accessible(here) || !here.contents.includes(object) || this.state(object).sliced) return NOTHING;
    this.state(object).sliced = true;
    return `You slice the ${object} using the ${knife}.`;
  }

  private use(name: string): string {
    const here = this.location;
    if (!here || !here.contents.includes(name) || typeOf(name) !== 'desklamp') return NOTHING;
    this.lampsOn.add(name);
    return `You turn on the ${name}.`;
  }

  private examine(name: string): string {
    const r = this.here(name);
    if (r) return this.describe(r);
    const visible = this.holding === name || (this.location && this.accessible(this.location) && this.location.contents.includes(name));
    if (!visible) return NOTHING;
    const s = this.states.get(name);
    if (s?.sliced) return `This is a sliced ${name}.`;
    if (typeOf(name) === 'desklamp') return `This is a desklamp. It is ${this.lampsOn.has(name) ? 'on' : 'off'}.`;
    return `There's nothing special about ${name}.`;
  }
}
