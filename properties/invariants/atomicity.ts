/**
 * A request takes effect wholly or not at all: a write request that failed
 * must not have committed its write transaction (the consumer it
 * auto-created and its cleanup are separate, documented transactions).
 * Needs the statements the in-process target records; live targets are
 * covered by the linearizability check.
 */
import type { RunRecord } from '../runRecord.ts';
import { statusOf } from '../runRecord.ts';
import { clientOperations } from '../snapshot.ts';
import type { Violation } from '../violation.ts';

export function checkAtomicity(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  for (const operation of clientOperations(run)) {
    const status = statusOf(operation);
    if (status === null || status < 400) continue;
    const detail = run.details.get(operation.id);
    if (detail === undefined) continue;
    // Most failed requests committed no write: a scan decides that without building a list.
    if (!detail.statements.some(isCommittedWrite)) continue;
    const committedWrites = detail.statements.filter(isCommittedWrite);
    violations.push({
      invariant: 'atomicity',
      summary: `request #${operation.id} (${operation.request.method} ${operation.request.path}) failed with ${status} after committing ${committedWrites.length} write transaction(s)`,
      explanation: [
        `Let request #${operation.id} answer ${status}: it failed.`,
        `Then none of its allocation changes may remain, because a request takes effect wholly or not at all,`,
        `but at tick ${committedWrites.map((statement) => statement.tick).join(', ')} it committed ${committedWrites.map((statement) => statement.label).join('; ')}.`,
      ],
      operations: [operation.id],
      data: { status, commits: committedWrites },
    });
  }
  return violations;
}

/**
 * `COMMIT (<transaction>: write)`: the end of a write transaction (statement
 * labels are one line each). Most statements are reads and writes, which
 * their first character rules out before the two searches.
 */
function isCommittedWrite(statement: { readonly label: string }): boolean {
  const label = statement.label;
  return label.charCodeAt(0) === CAPITAL_C && label.startsWith('COMMIT (') && label.endsWith(': write)');
}

const CAPITAL_C = 0x43;
