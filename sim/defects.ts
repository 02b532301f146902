/**
 * Defects: named switches that each remove one guard from the in-process
 * Placement 8.0.0 target, so the harness can prove it catches what it claims
 * to catch. Several stand for a claim in the code reviews the project started
 * from (see `claim`).
 */

export type DefectName =
  | 'no-provider-cas'
  | 'no-consumer-cas'
  | 'capacity-outside-transaction'
  | 'no-server-retry'
  | 'post-per-consumer'
  | 'no-consumer-cleanup'
  | 'keep-emptied-consumers'
  | 'cleanup-errors-propagate'
  | 'delete-consumer-unconditionally'
  | 'no-inventory-generation-check'
  | 'no-unit-constraints';

export interface Defect {
  readonly name: DefectName;
  readonly description: string;
  /** The review claim this defect stands for, if any. */
  readonly claim: string | null;
}

export const DEFECTS: readonly Defect[] = [
  {
    name: 'no-provider-cas',
    description: 'provider generation is bumped without "WHERE generation = ?": concurrent allocation writes are not detected',
    claim: null,
  },
  {
    name: 'no-consumer-cas',
    description: 'consumer generation is bumped without "WHERE generation = ?": a stale consumer write is not detected',
    claim: null,
  },
  {
    name: 'capacity-outside-transaction',
    description: 'capacity is checked once, in its own read transaction before the write transaction, and not re-checked on retry',
    claim: null,
  },
  {
    name: 'no-server-retry',
    description: 'an allocation write gives up on the first provider generation conflict instead of retrying 10 times',
    claim: 'seed 000 CWE-703 and seed 001 #1: missing retries on concurrent updates',
  },
  {
    name: 'post-per-consumer',
    description: 'POST /allocations writes consumer by consumer in separate transactions instead of all at once',
    claim: null,
  },
  {
    name: 'no-consumer-cleanup',
    description: 'a consumer auto-created by a failed allocation write is left behind',
    claim: 'seed 001 #4: consumer lifecycle managed in handlers leads to inconsistencies',
  },
  {
    name: 'keep-emptied-consumers',
    description: 'a consumer whose allocations are all removed is kept instead of deleted',
    claim: null,
  },
  {
    name: 'cleanup-errors-propagate',
    description: 'a failure while deleting an auto-created consumer replaces the original error (a 500) instead of being logged',
    claim: 'seed 001 #2: exceptions from consumer cleanup are not caught',
  },
  {
    name: 'delete-consumer-unconditionally',
    description: 'DELETE /allocations removes the consumer row without checking that no allocations were added meanwhile',
    claim: 'seed 000 CWE-664: delete_allocations reads, then deletes, without re-validating',
  },
  {
    name: 'no-inventory-generation-check',
    description: 'PUT inventories ignores resource_provider_generation: a stale inventory write wins',
    claim: 'seed 002 #6: inventory updates do not handle concurrent updates',
  },
  {
    name: 'no-unit-constraints',
    description: 'allocation amounts are not checked against min_unit, max_unit and step_size',
    claim: null,
  },
];

export function isDefectName(value: string): value is DefectName {
  return DEFECTS.some((defect) => defect.name === value);
}
