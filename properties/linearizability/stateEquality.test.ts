import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handle, type HttpRequest, type State } from '../../model/index.ts';
import { requestSequenceArbitrary } from '../../model/testing/requestArbitrary.ts';
import { replay } from '../../model/testing/replay.ts';
import { OTHER_PROVIDER, PROVIDER, allocate, consumerUuid, request, setupState } from './goldenHistories.ts';
import { StateComparer } from './stateEquality.ts';
import { EVERYTHING, StateFingerprinter, type FingerprintScope } from './stateFingerprint.ts';

function run(state: State, requests: readonly HttpRequest[]): State {
  return requests.reduce((current, item) => handle(current, item).state, state);
}

/** Every pair of states: the comparer says equal exactly when a fingerprinter over the scope does. */
function expectAgreement(states: readonly State[], scope: FingerprintScope): void {
  const fingerprinter = new StateFingerprinter(scope);
  const comparer = new StateComparer(scope);
  const fingerprints = states.map((state) => fingerprinter.fingerprint(state));
  for (let left = 0; left < states.length; left += 1) {
    for (let right = 0; right < states.length; right += 1) {
      const leftState = states[left];
      const rightState = states[right];
      if (leftState === undefined || rightState === undefined) continue;
      expect(comparer.equal(leftState, rightState)).toBe(fingerprints[left] === fingerprints[right]);
    }
  }
}

/** The uuids the states hold, as keys of their maps. */
function uuidsOf(states: readonly State[]): { readonly providers: readonly string[]; readonly consumers: readonly string[] } {
  const providers = new Set<string>();
  const consumers = new Set<string>();
  for (const state of states) {
    for (const uuid of state.providers.keys()) providers.add(uuid);
    for (const uuid of state.consumers.keys()) consumers.add(uuid);
  }
  return { providers: [...providers], consumers: [...consumers] };
}

describe('StateComparer', () => {
  it('agrees with the fingerprinter on states reached by different orders of the same writes', () => {
    const first = allocate(consumerUuid(1), 1, null);
    const second = allocate(consumerUuid(2), 1, null, OTHER_PROVIDER);
    const third = allocate(consumerUuid(1), 2, null);
    const states = [
      setupState(),
      run(setupState(), [first, second]),
      run(setupState(), [second, first]),
      run(setupState(), [first, third]),
      run(setupState(), [third, first]),
      run(setupState(), [first, request('GET', '/resource_providers')]),
      run(setupState(), [request('DELETE', `/allocations/${consumerUuid(1)}`)]),
    ];
    expectAgreement(states, EVERYTHING);
    expectAgreement(states, { kind: 'entities', providerUuids: [PROVIDER], consumerUuids: [consumerUuid(1)] });
    expectAgreement(states, { kind: 'entities', providerUuids: [OTHER_PROVIDER, PROVIDER.toUpperCase()], consumerUuids: [consumerUuid(2), consumerUuid(3)] });
  });

  it('agrees with the fingerprinter on the states of random request sequences, over everything and over random scopes', () => {
    fc.assert(
      fc.property(
        fc.array(requestSequenceArbitrary(25), { minLength: 2, maxLength: 3 }),
        fc.infiniteStream(fc.boolean()),
        (sequences, picks) => {
          // States of several sequences, which share no objects but may agree in content.
          const states = sequences.flatMap((specs) => replay(specs).map((step) => step.after));
          expectAgreement(states, EVERYTHING);
          const uuids = uuidsOf(states);
          const pick = (items: readonly string[]): string[] => items.filter(() => picks.next().value === true);
          const scope: FingerprintScope = {
            kind: 'entities',
            providerUuids: [...pick(uuids.providers), 'absent-provider'],
            consumerUuids: [...pick(uuids.consumers), 'absent-consumer'],
          };
          expectAgreement(states, scope);
        },
      ),
      { numRuns: 60 },
    );
  });
});
