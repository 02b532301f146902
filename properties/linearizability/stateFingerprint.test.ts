import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyState, handle, type HttpRequest, type State } from '../../model/index.ts';
import { requestSequenceArbitrary } from '../../model/testing/requestArbitrary.ts';
import { replay } from '../../model/testing/replay.ts';
import { deepFreeze } from '../../test/deepFreeze.ts';
import { OTHER_PROVIDER, PROVIDER, allocate, consumerUuid, request, setupState } from './goldenHistories.ts';
import { EVERYTHING, StateFingerprinter, canonicalStateText } from './stateFingerprint.ts';

function run(state: State, requests: readonly HttpRequest[]): State {
  return requests.reduce((current, item) => handle(current, item).state, state);
}

describe('StateFingerprinter', () => {
  it('ignores request ids: a read changes nothing', () => {
    const fingerprinter = new StateFingerprinter(EVERYTHING);
    const before = setupState();
    const after = run(before, [request('GET', `/resource_providers/${PROVIDER}`), request('GET', '/resource_providers')]);
    expect(after.counters.requests).toBeGreaterThan(before.counters.requests);
    expect(fingerprinter.fingerprint(after)).toBe(fingerprinter.fingerprint(before));
  });

  it('tells apart states that differ in a consumer generation', () => {
    const fingerprinter = new StateFingerprinter(EVERYTHING);
    const once = run(setupState(), [allocate(consumerUuid(1), 1, null)]);
    const twice = run(once, [allocate(consumerUuid(1), 1, 1)]);
    // Same allocation rows, but the consumer's generation moved on.
    expect(twice.consumers.get(consumerUuid(1))?.allocations).toEqual(once.consumers.get(consumerUuid(1))?.allocations);
    expect(fingerprinter.fingerprint(twice)).not.toBe(fingerprinter.fingerprint(once));
  });

  it('does not depend on the order consumers were written in, when the results agree', () => {
    const fingerprinter = new StateFingerprinter(EVERYTHING);
    const first = allocate(consumerUuid(1), 1, null);
    const second = allocate(consumerUuid(2), 1, null, OTHER_PROVIDER);
    const left = run(setupState(), [first, second]);
    const right = run(setupState(), [second, first]);
    expect(fingerprinter.fingerprint(left)).toBe(fingerprinter.fingerprint(right));
    expect(canonicalStateText(left)).toBe(canonicalStateText(right));
  });

  it('agrees with the canonical text on many states', () => {
    const fingerprinter = new StateFingerprinter(EVERYTHING);
    const states: State[] = [emptyState(), setupState()];
    for (let index = 1; index <= 6; index += 1) {
      const last = states[states.length - 1] ?? setupState();
      states.push(run(last, [allocate(consumerUuid(index % 3), index % 2 === 0 ? 1 : 2, null)]));
      states.push(run(last, [request('DELETE', `/allocations/${consumerUuid(index % 3)}`)]));
    }
    for (const left of states) {
      for (const right of states) {
        expect(fingerprinter.fingerprint(left) === fingerprinter.fingerprint(right)).toBe(canonicalStateText(left) === canonicalStateText(right));
      }
    }
  });

  it('agrees with the canonical text on the states of random request sequences (inventories, traits, aggregates, usages)', () => {
    fc.assert(
      fc.property(fc.array(requestSequenceArbitrary(25), { minLength: 2, maxLength: 3 }), (sequences) => {
        // One fingerprinter over states of several sequences, which share no objects but may agree in content.
        const fingerprinter = new StateFingerprinter(EVERYTHING);
        const states = sequences.flatMap((specs) => replay(specs).map((step) => step.after));
        const texts = states.map(canonicalStateText);
        const fingerprints = states.map((state) => fingerprinter.fingerprint(state));
        for (let left = 0; left < states.length; left += 1) {
          for (let right = 0; right < states.length; right += 1) {
            expect(fingerprints[left] === fingerprints[right]).toBe(texts[left] === texts[right]);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('looks only at the providers and consumers in its scope', () => {
    const scoped = new StateFingerprinter({ kind: 'entities', providerUuids: [PROVIDER], consumerUuids: [consumerUuid(1)] });
    const base = setupState();
    const elsewhere = run(base, [allocate(consumerUuid(2), 1, null, OTHER_PROVIDER)]);
    const inside = run(base, [allocate(consumerUuid(1), 1, null)]);
    expect(scoped.fingerprint(elsewhere)).toBe(scoped.fingerprint(base));
    expect(scoped.fingerprint(inside)).not.toBe(scoped.fingerprint(base));
  });

  it('keeps the uuid counter, which decides the next invented provider uuid', () => {
    const fingerprinter = new StateFingerprinter(EVERYTHING);
    const invented = run(setupState(), [request('POST', '/resource_providers', { name: 'x' })]);
    const removed = run(invented, [request('DELETE', `/resource_providers/${[...invented.providers.keys()].at(-1) ?? ''}`)]);
    expect(removed.providers.size).toBe(setupState().providers.size);
    expect(fingerprinter.fingerprint(removed)).not.toBe(fingerprinter.fingerprint(setupState()));
  });

  it('never modifies the state', () => {
    const frozen = deepFreeze(run(setupState(), [allocate(consumerUuid(1), 1, null)]));
    expect(() => new StateFingerprinter(EVERYTHING).fingerprint(frozen)).not.toThrow();
    expect(() => canonicalStateText(frozen)).not.toThrow();
  });
});
