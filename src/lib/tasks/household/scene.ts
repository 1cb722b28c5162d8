/**
 * Household layouts in ALFWorld's vocabulary (receptacles like "cabinet 3", objects like "mug 2"), generated from a
 * seed, with a goal of one of ALFWorld's six task types placed so that it can be achieved.
 */
import { createRng, type Rng } from '../random';

export type TaskType =
  | 'pick_and_place'
  | 'look_at_obj_in_light'
  | 'pick_clean_then_place'
  | 'pick_heat_then_place'
  | 'pick_cool_then_place'
  | 'pick_two_obj_and_place';

export const TASK_TYPES: TaskType[] = [
  'pick_and_place',
  'look_at_obj_in_light',
  'pick_clean_then_place',
  'pick_heat_then_place',
  'pick_cool_then_place',
  'pick_two_obj_and_place',
];

type RoomKind = 'kitchen' | 'livingroom' | 'bedroom' | 'bathroom';

interface RoomPlan {
  /** Receptacle type -> [min, max] count. */
  receptacles: Record<string, [number, number]>;
  objects: string[];
}

/** Receptacles that have a door or lid and must be opened before taking from or putting in them. */
export const OPENABLE = new Set(['cabinet', 'drawer', 'fridge', 'microwave', 'safe']);
/** Objects that can be cleaned in a sinkbasin, heated in a microwave, cooled in a fridge, sliced with a knife. */
export const CLEANABLE = new Set(['apple', 'lettuce', 'tomato', 'potato', 'egg', 'mug', 'cup', 'plate', 'bowl', 'pan', 'pot', 'knife', 'butterknife', 'fork', 'spoon', 'spatula', 'soapbar', 'cloth', 'dishsponge', 'ladle']);
export const HEATABLE = new Set(['apple', 'bread', 'potato', 'tomato', 'egg', 'mug', 'cup', 'plate']);
export const COOLABLE = new Set(['apple', 'lettuce', 'tomato', 'potato', 'egg', 'bread', 'mug', 'cup', 'pan', 'pot', 'plate', 'bowl', 'winebottle']);
export const SLICEABLE = new Set(['apple', 'bread', 'lettuce', 'tomato', 'potato']);
export const SLICERS = new Set(['knife', 'butterknife']);
/** Small things one examines under a lamp. */
const LOOKABLE = new Set(['book', 'cd', 'pen', 'pencil', 'alarmclock', 'cellphone', 'keychain', 'creditcard', 'watch', 'statue', 'vase', 'remotecontrol', 'bowl', 'mug', 'pillow', 'box', 'newspaper', 'laptop']);

const ROOMS: Record<RoomKind, RoomPlan> = {
  kitchen: {
    receptacles: { cabinet: [3, 6], countertop: [1, 2], drawer: [2, 4], fridge: [1, 1], microwave: [1, 1], sinkbasin: [1, 1], stoveburner: [2, 4], toaster: [1, 1], coffeemachine: [1, 1], diningtable: [1, 1], garbagecan: [1, 1], shelf: [1, 3] },
    objects: ['apple', 'bread', 'lettuce', 'tomato', 'potato', 'egg', 'mug', 'cup', 'plate', 'bowl', 'pan', 'pot', 'knife', 'butterknife', 'fork', 'spoon', 'spatula', 'ladle', 'saltshaker', 'peppershaker', 'soapbottle', 'dishsponge', 'winebottle', 'kettle'],
  },
  livingroom: {
    receptacles: { sofa: [1, 1], armchair: [1, 1], coffeetable: [1, 1], sidetable: [1, 2], drawer: [2, 4], cabinet: [2, 3], shelf: [2, 3], tvstand: [1, 1], dresser: [1, 1], garbagecan: [1, 1] },
    objects: ['remotecontrol', 'keychain', 'newspaper', 'box', 'pillow', 'laptop', 'creditcard', 'watch', 'vase', 'statue', 'book', 'pen', 'cd', 'houseplant', 'tissuebox'],
  },
  bedroom: {
    receptacles: { bed: [1, 1], desk: [1, 2], drawer: [3, 6], shelf: [2, 4], sidetable: [1, 2], dresser: [1, 1], garbagecan: [1, 1], laundryhamper: [1, 1], safe: [1, 1] },
    objects: ['book', 'cd', 'pen', 'pencil', 'alarmclock', 'cellphone', 'creditcard', 'keychain', 'laptop', 'pillow', 'mug', 'bowl', 'baseballbat', 'tennisracket', 'teddybear', 'watch'],
  },
  bathroom: {
    receptacles: { toilet: [1, 1], sinkbasin: [1, 2], bathtubbasin: [1, 1], countertop: [1, 1], cabinet: [2, 4], drawer: [1, 3], garbagecan: [1, 1], towelholder: [1, 1], handtowelholder: [1, 1], toiletpaperhanger: [1, 1], shelf: [1, 2] },
    objects: ['soapbar', 'soapbottle', 'spraybottle', 'toiletpaper', 'cloth', 'candle', 'towel', 'handtowel', 'plunger', 'scrubbrush', 'dishsponge'],
  },
};

/** Where each receptacle type can hold free objects (appliances and holders are excluded as start places). */
const START_EXCLUDED = new Set(['microwave', 'toaster', 'coffeemachine', 'stoveburner', 'towelholder', 'handtowelholder', 'toiletpaperhanger', 'garbagecan', 'laundryhamper']);
/** Sensible targets for placing things. */
const PLACE_TARGETS: Record<RoomKind, string[]> = {
  kitchen: ['countertop', 'diningtable', 'cabinet', 'shelf', 'fridge', 'microwave', 'garbagecan', 'drawer'],
  livingroom: ['sofa', 'armchair', 'coffeetable', 'sidetable', 'shelf', 'dresser', 'drawer', 'cabinet', 'tvstand'],
  bedroom: ['bed', 'desk', 'shelf', 'sidetable', 'dresser', 'drawer', 'safe', 'garbagecan'],
  bathroom: ['toilet', 'countertop', 'cabinet', 'shelf', 'drawer', 'bathtubbasin', 'garbagecan'],
};
/** Where cleaned / heated / cooled things usually go. */
const PREPARED_TARGETS: Record<'kitchen' | 'bathroom', string[]> = {
  kitchen: ['countertop', 'diningtable', 'cabinet', 'shelf', 'fridge', 'microwave'],
  bathroom: ['countertop', 'cabinet', 'shelf', 'toilet', 'bathtubbasin'],
};

export interface Receptacle {
  name: string;
  type: string;
  openable: boolean;
  contents: string[];
}

export interface Goal {
  type: TaskType;
  /** Object type to act on, e.g. "mug". */
  object: string;
  /** Receptacle type to place it in (not for look_at_obj_in_light). */
  target?: string;
  /** The lamp for look_at_obj_in_light. */
  lamp?: string;
  text: string;
}

export interface Layout {
  room: RoomKind;
  receptacles: Receptacle[];
  goal: Goal;
}

/** "mug 2" -> "mug". */
export const typeOf = (name: string) => name.replace(/ \d+$/, '');

function goalText(rng: Rng, type: TaskType, object: string, target?: string, lamp?: string): string {
  const o = object;
  const t = target ?? '';
  const texts: Record<TaskType, string[]> = {
    pick_and_place: [`put a ${o} in ${t}.`, `put some ${o} on ${t}.`],
    look_at_obj_in_light: [`look at ${o} under the ${lamp}.`, `examine the ${o} with the ${lamp}.`],
    pick_clean_then_place: [`put a clean ${o} in ${t}.`, `clean some ${o} and put it in ${t}.`],
    pick_heat_then_place: [`put a hot ${o} in ${t}.`, `heat some ${o} and put it in ${t}.`],
    pick_cool_then_place: [`put a cool ${o} in ${t}.`, `cool some ${o} and put it in ${t}.`],
    pick_two_obj_and_place: [`put two ${o} in ${t}.`, `find two ${o} and put them in ${t}.`],
  };
  return rng.pick(texts[type]);
}

function roomFor(rng: Rng, type: TaskType): RoomKind {
  switch (type) {
    case 'look_at_obj_in_light':
      return rng.pick(['bedroom', 'livingroom'] as const);
    case 'pick_clean_then_place':
      return rng.pick(['kitchen', 'kitchen', 'bathroom'] as const);
    case 'pick_heat_then_place':
    case 'pick_cool_then_place':
      return 'kitchen';
    default:
      return rng.pick(['kitchen', 'livingroom', 'bedroom', 'bathroom'] as const);
  }
}

function objectCandidates(room: RoomKind, type: TaskType): string[] {
  const objects = ROOMS[room].objects;
  switch (type) {
    case 'look_at_obj_in_light':
      return objects.filter((o) => LOOKABLE.has(o));
    case 'pick_clean_then_place':
      return objects.filter((o) => CLEANABLE.has(o));
    case 'pick_heat_then_place':
      return objects.filter((o) => HEATABLE.has(o));
    case 'pick_cool_then_place':
      return objects.filter((o) => COOLABLE.has(o));
    default:
      return objects;
  }
}

/** A layout and goal for `type`, fully determined by `seed`. */
export function generateLayout(seed: number, type: TaskType): Layout {
  const rng = createRng(seed);
  const room = roomFor(rng, type);
  const plan = ROOMS[room];

  const receptacles: Receptacle[] = [];
  for (const [rtype, [lo, hi]] of Object.entries(plan.receptacles)) {
    const n = rng.int(lo, hi);
    for (let i = 1; i <= n; i++) receptacles.push({ name: `${rtype} ${i}`, type: rtype, openable: OPENABLE.has(rtype), contents: [] });
  }
  const startPlaces = receptacles.filter((r) => !START_EXCLUDED.has(r.type));
  const counts = new Map<string, number>();
  const place = (objectType: string, where: Receptacle) => {
    const n = (counts.get(objectType) ?? 0) + 1;
    counts.set(objectType, n);
    where.contents.push(`${objectType} ${n}`);
  };

  const object = rng.pick(objectCandidates(room, type));
  let target: string | undefined;
  let lamp: string | undefined;
  if (type === 'look_at_obj_in_light') {
    const lampHolder = rng.pick(receptacles.filter((r) => ['desk', 'sidetable', 'dresser'].includes(r.type)));
    lamp = 'desklamp';
    place('desklamp', lampHolder);
  } else {
    const pool = type === 'pick_and_place' || type === 'pick_two_obj_and_place' ? PLACE_TARGETS[room] : PREPARED_TARGETS[room as 'kitchen' | 'bathroom'];
    target = rng.pick(pool.filter((t) => receptacles.some((r) => r.type === t)));
  }
  // The goal's objects start somewhere other than the target.
  const sources = startPlaces.filter((r) => r.type !== target);
  const wanted = type === 'pick_two_obj_and_place' ? 2 : 1;
  for (let i = 0; i < wanted; i++) place(object, rng.pick(sources));

  // Distractors: other objects, and sometimes one more of the goal object elsewhere.
  const others = plan.objects.filter((o) => o !== object);
  for (let i = rng.int(8, 14); i > 0; i--) place(rng.pick(others), rng.pick(startPlaces));
  // Receptacles list their contents in no particular order in ALFWorld; shuffle so the goal object is not always first.
  for (const r of receptacles) r.contents = rng.shuffle(r.contents);
  if (rng.next() < 0.3) place(object, rng.pick(sources));

  return { room, receptacles, goal: { type, object, target, lamp, text: goalText(rng, type, object, target, lamp) } };
}

