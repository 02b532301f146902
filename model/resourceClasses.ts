/**
 * Resource classes: the standard set and the custom ones a client created.
 */
import { FIRST_CUSTOM_RESOURCE_CLASS_ID, STANDARD_RESOURCE_CLASSES } from './data/standardResourceClasses.ts';
import type { State } from './state.ts';

const STANDARD_IDS: ReadonlyMap<string, number> = new Map(STANDARD_RESOURCE_CLASSES.map((name, index) => [name, index]));

export function isStandardResourceClass(name: string): boolean {
  return STANDARD_IDS.has(name);
}

/** The database id Placement would give the class, or `null` if it does not exist. */
export function resourceClassId(state: State, name: string): number | null {
  const standard = STANDARD_IDS.get(name);
  if (standard !== undefined) return standard;
  const customIndex = state.customResourceClasses.indexOf(name);
  return customIndex < 0 ? null : FIRST_CUSTOM_RESOURCE_CLASS_ID + customIndex;
}

/**
 * Standard class names met lately: every allocation write asks about the
 * same few, and comparing with a handful of strings costs less than a hash
 * lookup. A memo of a fixed set, so invisible to callers.
 */
const RECENT_STANDARD = ['', '', '', ''];
let recentNext = 0;

export function resourceClassExists(state: State, name: string): boolean {
  for (let index = 0; index < RECENT_STANDARD.length; index += 1) if (RECENT_STANDARD[index] === name && name !== '') return true;
  if (STANDARD_IDS.has(name)) {
    RECENT_STANDARD[recentNext] = name;
    recentNext = (recentNext + 1) & 3;
    return true;
  }
  return state.customResourceClasses.includes(name);
}

/** Every class in id order, as GET /resource_classes lists them. */
export function allResourceClasses(state: State): readonly string[] {
  return [...STANDARD_RESOURCE_CLASSES, ...state.customResourceClasses];
}

/**
 * Orders class names the way iterating a small Python set of their integer
 * ids does: by id modulo the hash table size (8 slots for up to four
 * members, 32 beyond), collisions in insertion order. Placement joins such a
 * set into some error messages.
 */
export function pythonSetOrder(state: State, names: readonly string[]): readonly string[] {
  const unique = [...new Set(names)];
  const slots = unique.length <= 4 ? 8 : 32;
  return unique
    .map((name, insertion) => ({ name, slot: (resourceClassId(state, name) ?? 0) % slots, insertion }))
    .sort((left, right) => left.slot - right.slot || left.insertion - right.insertion)
    .map((entry) => entry.name);
}
