import { describe, expect, it } from 'vitest';
import { runSeed } from '../../campaign/runSeed.ts';
import { emptyState, type State } from '../../model/index.ts';
import type { History, Operation } from '../../sim/history.ts';
import { checkLinearizability, type LinearizabilityOptions, type LinearizabilityResult } from './checkLinearizability.ts';
import { GOLDEN_HISTORIES, allocate, answered, consumerUuid, request, responsesInWorld, setupState, timedOut } from './goldenHistories.ts';
import { initialStateOf } from './historyFile.ts';
import { renderWitnessLines } from './renderWitness.ts';
import { modelAnswerOf, type CandidateOutcome, type Witness } from './witness.ts';

const generous: LinearizabilityOptions = { now: () => 0, timeLimitMs: 1_000, statesMax: 100_000 };

function check(history: History, options: LinearizabilityOptions = generous): LinearizabilityResult {
  return checkLinearizability(history, setupState(), options);
}

describe('golden histories', () => {
  for (const golden of GOLDEN_HISTORIES) {
    it(`${golden.name}: ${golden.verdict}`, () => {
      for (const partitioning of ['components', 'single'] as const) {
        const result = checkLinearizability(golden.file, initialStateOf(golden.file), { ...generous, partitioning });
        expect(result.kind).toBe(golden.verdict);
        if (golden.onlyOrder !== undefined && result.kind === 'ok') expect(result.linearizations).toEqual([golden.onlyOrder]);
      }
    });
  }
});

describe('witness', () => {
  it('names the longest explained prefix and the refused candidate, with the numbers', () => {
    const golden = GOLDEN_HISTORIES.find((history) => history.name === 'concurrent allocations both succeed past capacity');
    if (golden === undefined) throw new Error('golden history missing');
    const result = checkLinearizability(golden.file, initialStateOf(golden.file), generous);
    if (result.kind !== 'illegal') throw new Error(`expected illegal, got ${result.kind}`);
    expect(result.witness.prefix).toHaveLength(1);
    expect(result.witness.candidates).toHaveLength(1);
    const [candidate] = result.witness.candidates;
    expect(candidate?.operation.id).not.toBe(result.witness.prefix[0]);
    expect(candidate?.outcome).toMatchObject({ kind: 'mismatch', difference: { kind: 'status', expected: 409, observed: 204 } });
  });

  it('shows the body path that differs when statuses agree', () => {
    const golden = GOLDEN_HISTORIES.find((history) => history.name === 'delete succeeds but the concurrent write survives it');
    if (golden === undefined) throw new Error('golden history missing');
    const result = checkLinearizability(golden.file, initialStateOf(golden.file), generous);
    if (result.kind !== 'illegal') throw new Error(`expected illegal, got ${result.kind}`);
    expect(result.witness.prefix).toEqual([0, 1]);
    expect(result.witness.earliestReturn?.id).toBe(2);
    expect(result.witness.candidates.map((candidate) => candidate.outcome)).toMatchObject([
      { kind: 'mismatch', difference: { kind: 'body', path: 'allocations.aaaaaaaa-0000-4000-8000-000000000001', expected: '(absent)' } },
    ]);
  });
});

describe('witness text', () => {
  /** The witness as a reader without the model's answers has it: every outcome's plain fields, `expected` rendered. */
  function withoutAnswers(witness: Witness): Witness {
    return { ...witness, candidates: witness.candidates.map((candidate) => ({ ...candidate, outcome: plainOutcome(candidate.outcome) })) };
  }

  function plainOutcome(outcome: CandidateOutcome): CandidateOutcome {
    switch (outcome.kind) {
      case 'mismatch':
        return { kind: outcome.kind, expected: outcome.expected, observed: outcome.observed, difference: outcome.difference };
      case 'explainedThenStuck':
        return { kind: outcome.kind, expected: outcome.expected };
      case 'unknownThenStuck':
        return outcome;
    }
  }

  it('shows what the rendered responses show, read off the model\'s answers', () => {
    let witnesses = 0;
    let refusals = 0;
    const histories: { history: History; initial: State }[] = GOLDEN_HISTORIES.map((golden) => ({ history: golden.file, initial: initialStateOf(golden.file) }));
    for (let seed = 0; seed < 60; seed += 1) {
      const { record } = runSeed(`witness-${seed}`, { target: { profile: 'placement-8.0.0', isolation: 'snapshot', defects: [] }, overrides: {} });
      histories.push({ history: record.history, initial: emptyState() });
    }
    for (const { history, initial } of histories) {
      const result = checkLinearizability(history, initial, generous);
      if (result.kind !== 'illegal') continue;
      witnesses += 1;
      for (const { outcome } of result.witness.candidates) if (modelAnswerOf(outcome)?.kind === 'refusal') refusals += 1;
      const byId = (id: number): Operation | undefined => history.operations.find((operation) => operation.id === id);
      expect(renderWitnessLines(result.witness, byId)).toEqual(renderWitnessLines(withoutAnswers(result.witness), byId));
      expect(JSON.stringify(withoutAnswers(result.witness))).toBe(JSON.stringify(result.witness));
    }
    expect(witnesses).toBeGreaterThan(20);
    expect(refusals).toBeGreaterThan(10);
  });
});

describe('unknown outcomes', () => {
  it('ignores reads whose outcome is unknown', () => {
    const read = request('GET', `/allocations/${consumerUuid(1)}`);
    const result = check({ operations: [timedOut(0, 0, read, 0)] });
    expect(result).toMatchObject({ kind: 'ok', statistics: { ignoredOperationsCount: 1, partitionsCount: 0 } });
  });

  it('lets a timed-out write take effect between two reads, long after it was called', () => {
    const consumer = consumerUuid(1);
    const put = allocate(consumer, 1, null);
    const read = request('GET', `/allocations/${consumer}`);
    const before = responsesInWorld(setupState(), [read]);
    const after = responsesInWorld(setupState(), [put, read]);
    const result = check({
      operations: [timedOut(0, 0, put, 0), answered(1, 1, read, 100, 110, before[0]!), answered(2, 1, read, 200, 210, after[1]!)],
    });
    expect(result).toMatchObject({ kind: 'ok', linearizations: [[1, 0, 2]] });
  });

  it('cannot use a timed-out write to explain a read that happened before it was called', () => {
    const consumer = consumerUuid(1);
    const put = allocate(consumer, 1, null);
    const read = request('GET', `/allocations/${consumer}`);
    const after = responsesInWorld(setupState(), [put, read]);
    const result = check({ operations: [answered(1, 1, read, 0, 10, after[1]!), timedOut(0, 0, put, 20)] });
    expect(result.kind).toBe('illegal');
  });
});

describe('budget', () => {
  /**
   * Twelve concurrent single-VCPU allocations for distinct consumers on one
   * provider with room for all, and a read after them all showing an
   * impossible usage: every subset of the allocations is a distinct state,
   * so the search must visit 2^12 states before it can call it illegal.
   */
  function adversarialHistory(): History {
    const setup = setupState();
    const operations: Operation[] = [];
    const big = request('PUT', `/resource_providers/aaaaaaaa-0000-4000-8000-000000000001/inventories`, {
      resource_provider_generation: 1,
      inventories: { VCPU: { total: 64 } },
    });
    const [bigResponse] = responsesInWorld(setup, [big]);
    operations.push(answered(0, 0, big, 0, 1, bigResponse!));
    for (let index = 1; index <= 12; index += 1) {
      const put = allocate(consumerUuid(index), 1, null);
      const response = responsesInWorld(setup, [big, put])[1]!;
      operations.push(answered(index, index, put, 10, 100, response));
    }
    const usages = request('GET', '/resource_providers/aaaaaaaa-0000-4000-8000-000000000001/usages');
    const impossible = { status: 200, headers: {}, body: JSON.stringify({ resource_provider_generation: 14, usages: { VCPU: 1000 } }) };
    operations.push(answered(13, 0, usages, 200, 210, impossible));
    return { operations };
  }

  it('returns unknown when the memoised states run out, quickly', () => {
    const result = check(adversarialHistory(), { now: () => 0, timeLimitMs: 1_000, statesMax: 50 });
    expect(result).toMatchObject({ kind: 'unknown', reason: { kind: 'states', statesMax: 50 } });
    expect(result.statistics.statesCount).toBeLessThanOrEqual(50);
  });

  it('returns unknown when the injected clock passes the deadline', () => {
    let ticks = 0;
    const fakeClock = (): number => (ticks += 1);
    const result = check(adversarialHistory(), { now: fakeClock, timeLimitMs: 5, statesMax: 1_000_000 });
    expect(result).toMatchObject({ kind: 'unknown', reason: { kind: 'time' } });
    expect(ticks).toBeLessThan(20);
  });

  it('reaches the verdict when the budget allows', () => {
    const result = check(adversarialHistory());
    expect(result.kind).toBe('illegal');
    expect(result.statistics.statesCount).toBeGreaterThanOrEqual(2 ** 12);
  });
});
