/**
 * Every 409 for a provider generation conflict on an allocation write comes
 * after the server-side retries Placement promises (10 attempts). Spurious
 * conflicts that no order of requests explains are the linearizability
 * check's to find; this check needs the attempt counts the in-process target
 * records.
 */
import type { RunRecord } from '../runRecord.ts';
import { responseOf } from '../runRecord.ts';
import { clientOperations } from '../snapshot.ts';
import type { Violation } from '../violation.ts';

export const PROMISED_ATTEMPTS = 10;
const PROVIDER_CONFLICT = 'Another thread concurrently updated the resource provider data';

function detailOf(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return '';
  const first: unknown = errors[0];
  return typeof first === 'object' && first !== null && typeof (first as { detail?: unknown }).detail === 'string' ? (first as { detail: string }).detail : '';
}

export function checkConflictsJustified(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  for (const operation of clientOperations(run)) {
    const response = responseOf(operation);
    if (response === null || response.status !== 409) continue;
    const detail = detailOf(response.body);
    if (!detail.includes('Inventory and/or allocations changed') || !detail.includes(PROVIDER_CONFLICT)) continue;
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
