import fc from 'fast-check';
import { hash as immutableHash, Map as ImmutableMap } from 'immutable';
import { describe, expect, it } from 'vitest';
import { PersistentHashMap, stringHash } from './persistentHashMap.ts';
import { deepFreeze } from '../test/deepFreeze.ts';

/**
 * Keys chosen so that every shape of the trie occurs: a few uuids (which
 * differ only at the end, like the ones tests generate), short strings, and
 * strings whose Java hashes collide ("Aa" and "BB" hash alike, so do all
 * their concatenations of equal length).
 */
const UUIDS = Array.from({ length: 40 }, (_, index) => `dddddddd-0000-4000-8000-${index.toString(16).padStart(12, '0')}`);
const SHORT = ['a', 'b', 'c', 'consumer', 'x'];
const COLLIDING = ['AaAa', 'AaBB', 'BBAa', 'BBBB', 'AaAaAa', 'BBBBBB', 'AaBBAa'];
const KEYS: readonly string[] = [...UUIDS, ...SHORT, ...COLLIDING];
/** Colliding keys as often as the others, so that collisions also meet inside large tries. */
const key = fc.oneof(fc.constantFrom(...UUIDS), fc.constantFrom(...SHORT), fc.constantFrom(...COLLIDING));

type Operation = { readonly kind: 'set'; readonly key: string; readonly value: number } | { readonly kind: 'delete'; readonly key: string };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
);

describe('PersistentHashMap', () => {
  it('hashes strings as immutable.js does', () => {
    expect(KEYS.map(stringHash)).toEqual(KEYS.map((key) => immutableHash(key)));
    expect(stringHash('AaAa')).toBe(stringHash('BBBB'));
  });

  it('agrees with immutable.js on contents and iteration order after any sequence of updates', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 150, size: 'max' }), (operations) => {
        let ours = PersistentHashMap.empty<number>();
        let theirs = ImmutableMap<string, number>();
        const versions: [PersistentHashMap<number>, [string, number][]][] = [];
        for (const step of operations) {
          if (step.kind === 'set') {
            ours = ours.set(step.key, step.value);
            theirs = theirs.set(step.key, step.value);
          } else {
            ours = ours.delete(step.key);
            theirs = theirs.delete(step.key);
          }
          expect([...ours.entries()]).toEqual([...theirs.entries()]);
          expect(ours.size).toBe(theirs.size);
          versions.push([ours, [...theirs.entries()]]);
        }
        for (const key of KEYS) {
          expect(ours.get(key)).toBe(theirs.get(key));
          expect(ours.has(key)).toBe(theirs.has(key));
        }
        // Older versions are untouched by later updates.
        for (const [version, entries] of versions) expect([...version.entries()]).toEqual(entries);
        expect([...ours.map((value, key) => `${key}=${value}`).entries()]).toEqual([...theirs.map((value, key) => `${key}=${value}`).entries()]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps working once deep-frozen', () => {
    let map = PersistentHashMap.empty<{ readonly n: number }>();
    for (const key of KEYS) map = map.set(key, { n: key.length });
    const frozen = deepFreeze(map);
    const next = frozen.set('new', { n: 1 }).delete(KEYS[0] ?? '');
    expect(next.size).toBe(KEYS.length);
    expect(frozen.size).toBe(KEYS.length);
    expect(frozen.get(KEYS[0] ?? '')).toEqual({ n: 36 });
  });
});

