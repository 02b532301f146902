import { describe, expect, it } from 'vitest';
import { memoByIdentity } from './memoByIdentity.ts';

describe('memoByIdentity', () => {
  it('computes once per object, keeps objects with equal contents apart, and remembers undefined results', () => {
    const calls: object[] = [];
    const lengthOf = memoByIdentity((key: { readonly text: string }) => {
      calls.push(key);
      return key.text === '' ? undefined : key.text.length;
    }, 8);
    const first = { text: 'abc' };
    const twin = { text: 'abc' };
    const empty = { text: '' };
    expect([lengthOf(first), lengthOf(first), lengthOf(twin), lengthOf(empty), lengthOf(empty), lengthOf(first)]).toEqual([3, 3, 3, undefined, undefined, 3]);
    expect(calls).toEqual([first, twin, empty]);
    expect(calls[0]).toBe(first);
    expect(calls[1]).toBe(twin);
  });

  it('forgets every object once it has remembered recentMax of them, and then computes the same results again', () => {
    const calls: number[] = [];
    const doubled = memoByIdentity((key: { readonly n: number }) => {
      calls.push(key.n);
      return { value: key.n * 2 };
    }, 2);
    const [a, b, c] = [{ n: 1 }, { n: 2 }, { n: 3 }];
    const firstOfA = doubled(a);
    doubled(b);
    doubled(a);
    doubled(c); // full: forgets a and b
    doubled(b);
    const secondOfA = doubled(a);
    expect(calls).toEqual([1, 2, 3, 2, 1]);
    expect(secondOfA).toEqual(firstOfA);
    expect(secondOfA).not.toBe(firstOfA);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => memoByIdentity((key: object) => key, 0)).toThrow(/recentMax must be a positive integer, got 0/);
    expect(() => memoByIdentity((key: object) => key, 1.5)).toThrow(/positive integer/);
  });
});
