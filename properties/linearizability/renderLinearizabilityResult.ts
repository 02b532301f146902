/**
 * The checker's verdict as text: one line saying what was decided, then the
 * witness or the reason for giving up, then the numbers behind it.
 */
import type { History, Operation } from '../../sim/history.ts';
import type { CheckStatistics, LinearizabilityResult } from './checkLinearizability.ts';
import { describeBudgetExhausted } from './searchBudget.ts';
import { renderWitness } from './renderWitness.ts';

export function renderLinearizabilityResult(result: LinearizabilityResult, history: History): string {
  switch (result.kind) {
    case 'ok':
      return `linearizable: every response is explained by the model in an order consistent with real time\n${renderStatistics(result.statistics)}`;
    case 'illegal': {
      const operationsById = new Map<number, Operation>(history.operations.map((operation) => [operation.id, operation]));
      return `NOT linearizable\n\n${renderWitness(result.witness, operationsById)}\n\n${renderStatistics(result.statistics)}`;
    }
    case 'unknown':
      return `unknown: ${describeBudgetExhausted(result.reason)}\n${renderStatistics(result.statistics)}`;
    default:
      return assertNever(result);
  }
}

export function renderStatistics(statistics: CheckStatistics): string {
  const lines = [
    `operations: ${statistics.operationsCount} (${statistics.ignoredOperationsCount} reads with unknown outcome ignored)`,
    `partitions: ${statistics.partitionsCount} (checked ${statistics.partitionsCheckedCount}, largest ${statistics.largestPartitionOperationsCount} operations)`,
    `search: ${statistics.statesCount} memoised states, ${statistics.stepsCount} steps`,
  ];
  if (statistics.globalReason !== null) lines.push(`one partition only, because ${statistics.globalReason}`);
  return lines.join('\n');
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
