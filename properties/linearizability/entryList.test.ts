import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEntryList, lift, unlift, type Interval } from './entryList.ts';

/** The events as sorting them all by (time, call before return, index) orders them: the list's definition. */
function sortedEvents(intervals: readonly Interval[]): string[] {
  const events = intervals.flatMap((interval, index) => [
    { time: interval.invokedAt, kind: 'call', index },
    { time: interval.returnedAt, kind: 'return', index },
  ]);
  events.sort((left, right) => left.time - right.time || (left.kind === right.kind ? 0 : left.kind === 'call' ? -1 : 1) || left.index - right.index);
  return events.map((event) => `${event.kind} ${event.index}`);
}

function listed(head: ReturnType<typeof buildEntryList>): string[] {
  const events: string[] = [];
  for (let entry = head.next; entry !== null; entry = entry.next) events.push(`${entry.kind} ${entry.operationIndex}`);
  return events;
}

const intervalArbitrary: fc.Arbitrary<Interval> = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }))
  .map(([invokedAt, duration]) => ({ invokedAt, returnedAt: duration === undefined ? Number.POSITIVE_INFINITY : invokedAt + duration }));

describe('buildEntryList', () => {
  it('lists the events in the order of sorting them all, ordered histories or not, with ties and unknown returns', () => {
    fc.assert(
      fc.property(fc.array(intervalArbitrary, { maxLength: 14 }), fc.boolean(), (intervals, byCall) => {
        const given = byCall ? [...intervals].sort((left, right) => left.invokedAt - right.invokedAt) : intervals;
        expect(listed(buildEntryList(given))).toEqual(sortedEvents(given));
      }),
    );
  });

  it('lists long histories (sorted another way) in that order too', () => {
    fc.assert(
      fc.property(fc.array(intervalArbitrary, { minLength: 60, maxLength: 90 }), (intervals) => {
        expect(listed(buildEntryList(intervals))).toEqual(sortedEvents(intervals));
      }),
      { numRuns: 30 },
    );
  });

  it('pairs each call with its return, and lifting and unlifting restores the list', () => {
    const head = buildEntryList([
      { invokedAt: 0, returnedAt: 3 },
      { invokedAt: 1, returnedAt: Number.POSITIVE_INFINITY },
      { invokedAt: 3, returnedAt: 4 },
    ]);
    const before = listed(head);
    const call = head.next;
    expect(call?.kind).toBe('call');
    expect(call?.match?.kind).toBe('return');
    expect(call?.match?.operationIndex).toBe(call?.operationIndex);
    if (call === null || call === undefined) throw new Error('no first call');
    lift(call);
    expect(listed(head)).toEqual(before.filter((event) => !event.endsWith(' 0')));
    unlift(call);
    expect(listed(head)).toEqual(before);
  });

  it('refuses a return before its call', () => {
    expect(() => buildEntryList([{ invokedAt: 5, returnedAt: 2 }])).toThrow(/return before call/);
  });
});
