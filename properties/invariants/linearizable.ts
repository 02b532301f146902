/**
 * The run's responses are explained by the model in some order consistent
 * with real time. Two kinds of failed requests are taken to have had no
 * effect and left out (if one did have an effect, the other responses will
 * show it): those failed by a fault the run injected, and server-detected
 * conflicts that a concurrent request on the same provider or consumer
 * justifies (the sequential model cannot produce those; unjustified ones
 * stay in and show as unexplained).
 */
import { emptyState } from '../../model/index.ts';
import { idsIncrease, type Operation } from '../../sim/history.ts';
import { checkLinearizability, type LinearizabilityOptions } from '../linearizability/checkLinearizability.ts';
import { renderWitnessLines } from '../linearizability/renderWitness.ts';
import type { RunRecord } from '../runRecord.ts';
import { faultedOperations, statusOf } from '../runRecord.ts';
import { conflictIsJustified, isServerConflict } from '../serverConflicts.ts';
import type { Violation } from '../violation.ts';

export function checkLinearizable(run: RunRecord, options: LinearizabilityOptions): Violation[] {
  const faulted = faultedOperations(run);
  const operations = run.history.operations.filter((operation) => {
    if (isServerConflict(operation) && conflictIsJustified(operation, run.history.operations)) return false;
    if (!faulted.has(operation.id)) return true;
    const status = statusOf(operation);
    return status === null || status < 500;
  });
  const history = { operations };
  const result = checkLinearizability(history, emptyState(), options);
  switch (result.kind) {
    case 'ok':
      return [];
    case 'unknown':
      return [
        {
          invariant: 'linearizable',
          summary: `the linearizability search ran out of budget (${result.reason.kind}); the run is not known to be correct`,
          explanation: ['Let the search explore orders of the run.', 'Then it must decide within its budget,', `but it stopped: ${JSON.stringify(result.reason)}.`],
          operations: [],
          data: { reason: result.reason, statistics: result.statistics },
        },
      ];
    case 'illegal': {
      const lines = renderWitnessLines(result.witness, byIdIn(operations));
      return [
        {
          invariant: 'linearizable',
          summary: 'no order of the requests consistent with real time explains every response',
          explanation: lines,
          operations: result.witness.candidates.map((candidate) => candidate.operation.id),
          data: {
            prefix: result.witness.prefix,
            candidates: result.witness.candidates.map((candidate) => ({ operation: candidate.operation.id, outcome: candidate.outcome.kind })),
            partition: result.witness.partitionOperationIds,
            statistics: result.statistics,
          },
        },
      ];
    }
    default:
      return assertNever(result);
  }
}

/**
 * Finds an operation by id, as a map of `operations` by id would: the
 * witness's text names a dozen or so. Histories list their operations by
 * increasing id, which a binary search reads without building the map.
 */
function byIdIn(operations: readonly Operation[]): (id: number) => Operation | undefined {
  if (!idsIncrease(operations)) {
    const byId = new Map(operations.map((operation) => [operation.id, operation] as const));
    return (id) => byId.get(id);
  }
  return (id) => {
    let low = 0;
    let high = operations.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const operation = operations[middle];
      if (operation === undefined) return undefined;
      if (operation.id === id) return operation;
      if (operation.id < id) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled result: ${JSON.stringify(value)}`);
}
