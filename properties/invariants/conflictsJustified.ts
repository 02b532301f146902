/**
 * Every conflict the server detects is justified: another request touching
 * the same provider or consumer ran at the same time, and, for a provider
 * generation conflict on an allocation write, the 10 server-side attempts
 * Placement promises were made (the attempt counts come from the in-process
 * target).
 */
import type { RunRecord } from '../runRecord.ts';
import { DETAIL_PROVIDER_RETRY_CONFLICT, DETAIL_SERVER_CONFLICT } from '../errorDetails.ts';
import { conflictFlagsOf, conflictIsJustified } from '../serverConflicts.ts';
import { clientOperations } from '../snapshot.ts';
import type { Violation } from '../violation.ts';

export const PROMISED_ATTEMPTS = 10;

export function checkConflictsJustified(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  for (const operation of clientOperations(run)) {
    // The status first (conflictFlagsOf): most operations are not 409s, and their bodies need not be read.
    const flags = conflictFlagsOf(operation);
    if (flags === 0) continue;
    if ((flags & DETAIL_SERVER_CONFLICT) !== 0 && !conflictIsJustified(operation, run.history.operations)) {
      violations.push({
        invariant: 'conflicts-justified',
        summary: `request #${operation.id} got a concurrent-update 409 while no other request touched its providers or consumers`,
        explanation: [
          `Let request #${operation.id} (${operation.request.method} ${operation.request.path}) run from ${operation.invokedAt} to ${operation.completedAt ?? '?'}.`,
          'Then a 409 "changed while attempting" or "concurrently updated" needs another write of the same provider or consumer running at the same time,',
          'but no write overlapping it in time names any of them.',
        ],
        operations: [operation.id],
        data: { status: 409 },
      });
      continue;
    }
    if ((flags & DETAIL_PROVIDER_RETRY_CONFLICT) === 0) continue;
    const notes = run.details.get(operation.id)?.notes;
    if (notes === null || notes === undefined || notes.allocationAttempts >= PROMISED_ATTEMPTS) continue;
    violations.push({
      invariant: 'conflicts-justified',
      summary: `request #${operation.id} gave up on a provider generation conflict after ${notes.allocationAttempts} attempt(s)`,
      explanation: [
        `Let request #${operation.id} get 409 "Inventory and/or allocations changed" for a provider generation conflict.`,
        `Then Placement must have retried the write ${PROMISED_ATTEMPTS} times first, re-reading the providers each time,`,
        `but it made ${notes.allocationAttempts} attempt(s).`,
      ],
      operations: [operation.id],
      data: { attempts: notes.allocationAttempts, promised: PROMISED_ATTEMPTS },
    });
  }
  return violations;
}
