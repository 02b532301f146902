/**
 * Everything a run's seed decides, derived up front and printed next to the
 * seed (swarm testing: each run switches whole families of requests on or
 * off, so rare combinations get runs of their own).
 */
import { Random } from './random.ts';

export type ActionFamily =
  | 'allocate'
  | 'move'
  | 'clear'
  | 'delete'
  | 'inventory'
  | 'deleteInventory'
  | 'deleteProvider'
  | 'read'
  | 'staleGeneration'
  | 'oldMicroversion';

export const ACTION_FAMILIES: readonly ActionFamily[] = [
  'allocate',
  'move',
  'clear',
  'delete',
  'inventory',
  'deleteInventory',
  'deleteProvider',
  'read',
  'staleGeneration',
  'oldMicroversion',
];

export type FaultKind = 'deadlock' | 'lost-connection' | 'fail-between-delete-and-insert' | 'fail-consumer-cleanup';
export const FAULT_KINDS: readonly FaultKind[] = ['deadlock', 'lost-connection', 'fail-between-delete-and-insert', 'fail-consumer-cleanup'];

export interface RunOptions {
  readonly seed: string;
  readonly clientsCount: number;
  readonly commandsPerClient: number;
  readonly providersCount: number;
  readonly consumersCount: number;
  readonly families: readonly ActionFamily[];
  readonly faults: readonly FaultKind[];
  /** Chance that a fault kind fires at a statement where it can. */
  readonly faultProbability: number;
  /** Chance that the scheduler switches to another client at a step. */
  readonly switchProbability: number;
}

/** What the user fixed on the command line; the rest comes from the seed. */
export interface RunOptionOverrides {
  readonly clientsCount?: number;
  readonly commandsPerClient?: number;
  /** Faults are off unless the user or a test asks for them. */
  readonly faults?: readonly FaultKind[];
  readonly families?: readonly ActionFamily[];
}

/** The choices of the two probabilities, made once instead of per run. */
const FAULT_PROBABILITIES: readonly number[] = [0.02, 0.05, 0.15];
const SWITCH_PROBABILITIES: readonly number[] = [0.2, 0.5, 0.9];

export function deriveRunOptions(seed: string, overrides: RunOptionOverrides = {}): RunOptions {
  const random = Random.stream(seed, 'options');
  const clientsCount = overrides.clientsCount ?? random.integer(2, 4);
  const commandsPerClient = overrides.commandsPerClient ?? random.integer(2, 8);
  const providersCount = random.integer(1, 3);
  const consumersCount = random.integer(2, Math.max(2, clientsCount + 1));
  // Allocation writes are the subject; every other family is a coin flip.
  const families = overrides.families ?? ACTION_FAMILIES.filter((family) => family === 'allocate' || random.chance(0.5));
  const faults = overrides.faults ?? [];
  return {
    seed,
    clientsCount,
    commandsPerClient,
    providersCount,
    consumersCount,
    families,
    faults,
    faultProbability: faults.length === 0 ? 0 : FAULT_PROBABILITIES[random.integer(0, 2)] ?? 0.05,
    switchProbability: SWITCH_PROBABILITIES[random.integer(0, 2)] ?? 0.5,
  };
}

/** One line per option, for printing next to the seed. */
export function describeRunOptions(options: RunOptions): string {
  return [
    `clients=${options.clientsCount}`,
    `commands=${options.commandsPerClient}`,
    `providers=${options.providersCount}`,
    `consumers=${options.consumersCount}`,
    `families=${options.families.join(',')}`,
    `faults=${options.faults.length === 0 ? 'none' : options.faults.join(',')}@${options.faultProbability}`,
    `switch=${options.switchProbability}`,
  ].join(' ');
}
