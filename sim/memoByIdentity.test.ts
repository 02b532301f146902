import { describe, expect, it } from 'vitest';
import { memoByIdentity } from './memoByIdentity.ts';

describe('memoByIdentity', () => {
  it('computes once per object, keeps objects with equal contents apart, and remembers undefined results', () => {
    const calls: object[] = [];
    const lengthOf = memoByIdentity((key: { readonly text: string }) => {
      calls.push(key);
      return key.text === '' ? undefined : key.text.length;
    });
    const first = { text: 'abc' };
    const twin = { text: 'abc' };
    const empty = { text: '' };
    expect([lengthOf(first), lengthOf(first), lengthOf(twin), lengthOf(empty), lengthOf(empty)]).toEqual([3, 3, 3, undefined, undefined]);
    expect(calls).toEqual([first, twin, empty]);
    expect(calls[0]).toBe(first);
    expect(calls[1]).toBe(twin);
  });
});
