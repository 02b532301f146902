import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handle, type HttpRequest, type State } from '../../model/index.ts';
import { allocate, consumerUuid, request, setupState } from './goldenHistories.ts';
import { EVERYTHING, StateFingerprinter } from './stateFingerprint.ts';
import { VisitedStates } from './visitedStates.ts';

function run(state: State, requests: readonly HttpRequest[]): State {
  return requests.reduce((current, item) => handle(current, item).state, state);
}

/** Distinct state objects, several of them with equal fingerprints (a read changes only the request counter). */
function someStates(): readonly State[] {
  const states: State[] = [setupState()];
  for (let index = 1; index <= 5; index += 1) {
    const last = states[states.length - 1] ?? setupState();
    states.push(run(last, [allocate(consumerUuid(index % 2), index % 2 === 0 ? 1 : 2, null)]));
    states.push(run(last, [request('GET', '/resource_providers')]));
  }
  return states;
}

describe('VisitedStates', () => {
  it('answers as a memo keyed by set and fingerprint, whichever fingerprints it takes late, however few sets may wait', () => {
    const states = someStates();
    const visitArbitrary = fc.record({ set: fc.integer({ min: 0, max: 3 }), state: fc.integer({ min: 0, max: states.length - 1 }) });
    fc.assert(
      fc.property(fc.array(visitArbitrary, { maxLength: 40 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }), (visits, sizeMax, pendingMax) => {
        const fingerprinter = new StateFingerprinter(EVERYTHING);
        const keys = new Set<string>();
        const memo = new VisitedStates(EVERYTHING, pendingMax);
        for (const visit of visits) {
          const state = states[visit.state] ?? setupState();
          const key = `${visit.set}#${fingerprinter.fingerprint(state)}`;
          const expected = keys.has(key) ? 'seen' : keys.size >= sizeMax ? 'full' : 'new';
          if (expected === 'new') keys.add(key);
          expect(memo.visit(String(visit.set), VisitedStates.start(state), sizeMax)).toBe(expected);
          expect(memo.size).toBe(keys.size);
        }
      }),
    );
  });

  it('tells positions apart by fingerprint, and keeps the position when nothing fingerprinted changed', () => {
    const memo = new VisitedStates(EVERYTHING);
    const before = VisitedStates.start(setupState());
    const read = VisitedStates.step(before, run(before.state, [request('GET', '/resource_providers')]));
    const write = VisitedStates.step(before, run(before.state, [allocate(consumerUuid(1), 1, null)]));
    expect(read).toBe(before);
    expect(memo.same(read, before)).toBe(true);
    expect(memo.same(write, before)).toBe(false);
    expect(memo.same(VisitedStates.start(before.state), before)).toBe(true);
  });
});
