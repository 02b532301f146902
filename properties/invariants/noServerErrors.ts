/**
 * A valid request never gets a 5xx and always answers within its bound. An
 * unknown outcome (timeout, connection error) is not a pass: it is reported.
 * 5xx answers caused by a fault the run injected on purpose are excused;
 * what such a request left behind is for the other checks.
 */
import type { Operation } from '../../sim/history.ts';
import type { RunRecord } from '../runRecord.ts';
import { faultedOperations } from '../runRecord.ts';
import type { Violation } from '../violation.ts';

export function checkNoServerErrors(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  const faulted = faultedOperations(run);
  for (const operation of run.history.operations) {
    if (operation.completion.kind === 'unknown') {
      const label = labelOf(operation);
      violations.push({
        invariant: 'no-server-errors',
        summary: `request ${label} has an unknown outcome: ${operation.completion.reason}`,
        explanation: [
          `Let request ${label} be sent at ${operation.invokedAt}.`,
          'Then it must be answered within its bound,',
          `but it was not: ${operation.completion.reason}.`,
        ],
        operations: [operation.id],
        data: { reason: operation.completion.reason },
      });
      continue;
    }
    const status = operation.completion.response.status;
    if (status < 500 || faulted.has(operation.id)) continue;
    const label = labelOf(operation);
    violations.push({
      invariant: 'no-server-errors',
      summary: `request ${label} got ${status}`,
      explanation: [`Let request ${label} be valid.`, 'Then it must not get a server error,', `but it got ${status}: ${operation.completion.response.body.slice(0, 300)}`],
      operations: [operation.id],
      data: { status },
    });
  }
  return violations;
}

/** How a violation names the request; built only for a violation, since most requests have none. */
function labelOf(operation: Operation): string {
  return `#${operation.id} ${operation.request.method} ${operation.request.path}`;
}
