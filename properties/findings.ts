/**
 * Named findings: divergences between the model and the real Placement
 * 8.0.0 that are understood, so a conformance run counts them as explained
 * (and reports them by name) instead of failing.
 *
 * Two kinds:
 *   - `serviceFault`: behaviour no correct implementation would show (state
 *     left behind by a failed request, a success that did not take effect).
 *     The model keeps the correct behaviour; the finding recognises the
 *     service's deviation.
 *   - `deploymentBehaviour`: the service is right for its deployment (for
 *     example a database collation), the model describes the default one.
 *
 * Deliberate, documented behaviours of Placement 8.0.0 belong in the model,
 * not here. Every finding carries the shortest request sequence known to
 * show it; `npm run conformance -- --finding NAME` replays it.
 */
import type { HttpRequest } from '../model/index.ts';
import type { Database } from './conformance/conformanceTarget.ts';
import type { ComparedStep } from './conformance/runSequence.ts';
import { caseInsensitiveIdentifiersOnMariadb } from './findings/caseInsensitiveIdentifiersOnMariadb.ts';
import { duplicateProviderConflictNamesNameOnPostgresql } from './findings/duplicateProviderConflictNamesNameOnPostgresql.ts';
import { emptyAllocationsCreateConsumer } from './findings/emptyAllocationsCreateConsumer.ts';
import { nonFiniteAllocationRatioCrashes } from './findings/nonFiniteAllocationRatioCrashes.ts';
import { unknownProviderLeavesConsumer } from './findings/unknownProviderLeavesConsumer.ts';
import { unvalidatedInventoryRecordCrashes } from './findings/unvalidatedInventoryRecordCrashes.ts';
import { usagesGroupingCrashesOnPostgresql } from './findings/usagesGroupingCrashesOnPostgresql.ts';

/** A sequence whose last step differs; everything before it matched. */
export interface Divergence {
  readonly steps: readonly ComparedStep[];
  readonly database: Database;
}

export type FindingKind = 'serviceFault' | 'deploymentBehaviour';

export interface Finding {
  /** kebab-case, stable: reports and summaries use it. */
  readonly name: string;
  readonly kind: FindingKind;
  /** One line: what the service does and how it shows. */
  readonly summary: string;
  /** Databases on which the service behaves like this. */
  readonly databases: readonly Database[];
  /** The shortest known sequence that shows it, run from an empty service; the last request differs. */
  readonly demonstration: readonly HttpRequest[];
  /** Whether this finding explains the difference in the divergence's last step. */
  explains(divergence: Divergence): boolean;
}

export const FINDINGS: readonly Finding[] = [
  emptyAllocationsCreateConsumer,
  unknownProviderLeavesConsumer,
  unvalidatedInventoryRecordCrashes,
  nonFiniteAllocationRatioCrashes,
  caseInsensitiveIdentifiersOnMariadb,
  duplicateProviderConflictNamesNameOnPostgresql,
  usagesGroupingCrashesOnPostgresql,
];

export function findingNamed(name: string): Finding | undefined {
  return FINDINGS.find((finding) => finding.name === name);
}
