/**
 * A broken invariant, as data. Text is rendered from it, never the reverse.
 */
export type InvariantName =
  | 'capacity'
  | 'unit-constraints'
  | 'usage-matches-allocations'
  | 'consumer-lifecycle'
  | 'generations'
  | 'atomicity'
  | 'conflicts-justified'
  | 'no-server-errors'
  | 'linearizable';

export const INVARIANT_NAMES: readonly InvariantName[] = [
  'capacity',
  'unit-constraints',
  'usage-matches-allocations',
  'consumer-lifecycle',
  'generations',
  'atomicity',
  'conflicts-justified',
  'no-server-errors',
  'linearizable',
];

export interface Violation {
  readonly invariant: InvariantName;
  /** One line: what is wrong. */
  readonly summary: string;
  /** "Let ... Then ... but ..." lines a reader can check by hand. */
  readonly explanation: readonly string[];
  /** Operations involved, by id. */
  readonly operations: readonly number[];
  /** Numbers and names behind the explanation, for reports. */
  readonly data: Readonly<Record<string, unknown>>;
}
