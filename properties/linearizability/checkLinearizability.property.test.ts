import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../model/index.ts';
import type { History, Operation } from '../../sim/history.ts';
import { checkLinearizability, type LinearizabilityOptions } from './checkLinearizability.ts';
import { OTHER_PROVIDER, PROVIDER, consumerUuid, setupState } from './goldenHistories.ts';
import { historyFromSequence, type SequencedOutcome, type SequencedRequest } from './historyFromSequence.ts';
import { requestForIntent, type GenerationChoice, type WorkloadIntent } from './workloadIntent.ts';

const options: LinearizabilityOptions = { now: () => 0, timeLimitMs: 1_000, statesMax: 200_000 };

const consumer = fc.integer({ min: 1, max: 4 }).map(consumerUuid);
const provider = fc.constantFrom(PROVIDER, OTHER_PROVIDER);
const generation = fc.constantFrom<GenerationChoice>('current', 'current', 'current', 'null', 'stale');
const trait = fc.constantFrom('CUSTOM_FAST', 'CUSTOM_SLOW');

const intent: fc.Arbitrary<WorkloadIntent> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('allocate' as const), consumer, provider, vcpu: fc.integer({ min: 1, max: 3 }), generation }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveAllocation' as const), from: consumer, to: consumer, provider, vcpu: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteAllocations' as const), consumer }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('readAllocations' as const), consumer }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('readUsages' as const), provider }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('readProvider' as const), provider }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('setInventory' as const), provider, total: fc.integer({ min: 0, max: 8 }), generation }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createTrait' as const), trait }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('setTraits' as const), provider, trait, generation }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'listProviders' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteProvider' as const), provider }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('createProvider' as const), provider, name: fc.constantFrom('compute-0', 'compute-1', 'spare') }) },
);

const outcome = fc.constantFrom<SequencedOutcome>(...Array<SequencedOutcome>(12).fill('response'), 'unknownApplied', 'unknownLost');

interface Step {
  readonly intent: WorkloadIntent;
  readonly client: number;
  readonly outcome: SequencedOutcome;
  readonly leadTicks: number;
  readonly lagTicks: number;
}

/** A request at its place in the sequence, with an interval that overlaps a few neighbours. */
const step: fc.Arbitrary<Step> = fc.record({
  intent,
  client: fc.integer({ min: 0, max: 3 }),
  outcome,
  leadTicks: fc.integer({ min: 0, max: 35 }),
  lagTicks: fc.integer({ min: 0, max: 35 }),
});

const sequence = fc.array(step, { minLength: 1, maxLength: 24 });

function historyOf(steps: readonly Step[]): History {
  const sequenced: SequencedRequest[] = steps.map((item) => ({
    client: item.client,
    request: (state) => requestForIntent(item.intent, state),
    outcome: item.outcome,
    leadTicks: item.leadTicks,
    lagTicks: item.lagTicks,
  }));
  return historyFromSequence(setupState(), sequenced).history;
}

function answeredIndices(history: History): number[] {
  return history.operations.flatMap((operation, index) => (operation.completion.kind === 'response' ? [index] : []));
}

function withResponse(history: History, index: number, change: (response: HttpResponse) => HttpResponse): History {
  const operations = history.operations.map((operation, position): Operation => {
    if (position !== index || operation.completion.kind !== 'response') return operation;
    return { ...operation, completion: { kind: 'response', response: change(operation.completion.response) } };
  });
  return { operations };
}

describe('histories generated from a sequential run of the model', () => {
  it('are always linearizable, with or without partitioning', () => {
    fc.assert(
      fc.property(sequence, (steps) => {
        const history = historyOf(steps);
        for (const partitioning of ['components', 'single'] as const) {
          const result = checkLinearizability(history, setupState(), { ...options, partitioning });
          expect(result.kind).toBe('ok');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('become illegal when one observed status is one the model never sends', () => {
    fc.assert(
      fc.property(sequence, fc.nat(), (steps, choice) => {
        const history = historyOf(steps);
        const candidates = answeredIndices(history);
        fc.pre(candidates.length > 0);
        const index = candidates[choice % candidates.length] ?? 0;
        const mutated = withResponse(history, index, (response) => ({ ...response, status: 418 }));
        const result = checkLinearizability(mutated, setupState(), options);
        expect(result.kind).toBe('illegal');
        if (result.kind === 'illegal') {
          expect(result.witness.partitionOperationIds).toContain(mutated.operations[index]?.id);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('become illegal when a usage read shows more than any provider can hold', () => {
    fc.assert(
      fc.property(sequence, fc.nat(), (steps, choice) => {
        const history = historyOf(steps);
        const reads = answeredIndices(history).filter((index) => {
          const operation = history.operations[index];
          return operation?.request.path.endsWith('/usages') === true && operation.completion.kind === 'response' && operation.completion.response.status === 200;
        });
        fc.pre(reads.length > 0);
        const index = reads[choice % reads.length] ?? 0;
        const mutated = withResponse(history, index, (response) => {
          const body = JSON.parse(response.body) as { usages: Record<string, number> };
          return { ...response, body: JSON.stringify({ ...body, usages: { ...body.usages, VCPU: 1_000 } }) };
        });
        expect(checkLinearizability(mutated, setupState(), options).kind).toBe('illegal');
      }),
      { numRuns: 200 },
    );
  });

  it('get the same verdict with and without partitioning after any single change of a response', () => {
    fc.assert(
      fc.property(sequence, fc.nat(), fc.nat(), (steps, first, second) => {
        const history = historyOf(steps);
        const candidates = answeredIndices(history);
        fc.pre(candidates.length > 1);
        // Give one operation the response another one got: sometimes still explainable, often not.
        const target = candidates[first % candidates.length] ?? 0;
        const source = history.operations[candidates[second % candidates.length] ?? 0];
        fc.pre(source !== undefined && source.completion.kind === 'response');
        const borrowed = source.completion.kind === 'response' ? source.completion.response : null;
        if (borrowed === null) return;
        const mutated = withResponse(history, target, () => borrowed);
        const split = checkLinearizability(mutated, setupState(), options);
        const whole = checkLinearizability(mutated, setupState(), { ...options, partitioning: 'single' });
        expect(split.kind).toBe(whole.kind);
      }),
      { numRuns: 300 },
    );
  });
});
