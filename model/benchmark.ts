/**
 * Throughput of the model on one core: allocation and inventory commands
 * through the typed command layer (`applyCommand`), and the same traffic
 * as HTTP requests through `handle`, for comparison.
 *
 * The clock is a parameter: `model/` reads no clock of its own, so the
 * caller passes one (the bench CLI passes a monotonic timer).
 */
import { applyCommand } from './applyCommand.ts';
import {
  benchmarkInventory,
  benchmarkProviderUuid,
  benchmarkWorkload,
  workloadRequest,
  type WorkloadStep,
} from './benchmarkWorkload.ts';
import type { Command } from './commands.ts';
import { handle } from './handle.ts';
import type { HttpRequest } from './http.ts';
import { emptyState, type State } from './state.ts';

export interface BenchmarkOptions {
  /** Milliseconds from any fixed origin; injected because model/ reads no clock. */
  readonly nowMilliseconds: () => number;
  readonly seed?: number;
  readonly providersCount?: number;
  readonly consumersCount?: number;
  /** Commands per measured round. */
  readonly commandsCount?: number;
  /** HTTP requests per measured round. */
  readonly requestsCount?: number;
  /** Measured rounds; the median is reported. One unmeasured warm-up round runs first. */
  readonly rounds?: number;
}

export interface BenchmarkResult {
  /** Median over rounds of commands applied per second through `applyCommand`. */
  readonly commandsPerSecond: number;
  readonly commandsPerSecondByRound: readonly number[];
  /** Median over rounds of requests handled per second through `handle`. */
  readonly requestsPerSecond: number;
  readonly requestsPerSecondByRound: readonly number[];
  /** How the commands of one round ended, e.g. `writeAllocations ok`: so a fast run of failures shows. */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Every option, defaults filled in, so a run can be repeated. */
  readonly options: Required<Omit<BenchmarkOptions, 'nowMilliseconds'>>;
}

const DEFAULTS: Required<Omit<BenchmarkOptions, 'nowMilliseconds'>> = {
  seed: 1,
  providersCount: 10,
  consumersCount: 400,
  commandsCount: 200_000,
  requestsCount: 20_000,
  rounds: 5,
};

/** Providers 0..n-1, each with VCPU, MEMORY_MB and DISK_GB inventory. */
export function benchmarkState(providersCount: number): State {
  let state = emptyState();
  for (let index = 0; index < providersCount; index += 1) {
    const uuid = benchmarkProviderUuid(index);
    state = mustApply(state, { kind: 'createProvider', uuid, name: `benchmark-${index}`, parentUuid: null });
    state = mustApply(state, {
      kind: 'setInventories',
      providerUuid: uuid,
      generation: 0,
      inventories: (['VCPU', 'MEMORY_MB', 'DISK_GB'] as const).map((resourceClass) => [resourceClass, benchmarkInventory(resourceClass, 1)] as const),
      capacityRule: 'nonNegative',
    });
  }
  return state;
}

function mustApply(state: State, command: Command): State {
  const outcome = applyCommand(state, command);
  if (outcome.kind === 'error') throw new Error(`benchmark set-up failed: ${command.kind}: ${outcome.error.message}`);
  return outcome.state;
}

function commandOf(step: WorkloadStep, state: State): Command {
  if (step.kind === 'command') return step.command;
  return {
    kind: 'updateInventory',
    providerUuid: step.providerUuid,
    resourceClass: step.resourceClass,
    generation: state.providers.get(step.providerUuid)?.generation ?? 0,
    inventory: step.inventory,
    capacityRule: 'nonNegative',
  };
}

/** Runs the steps once from `initial`; returns the final state (so the work cannot be optimized away). */
function runCommands(initial: State, steps: readonly WorkloadStep[], outcomes: Map<string, number> | null): State {
  let state = initial;
  for (const step of steps) {
    const command = commandOf(step, state);
    const outcome = applyCommand(state, command);
    if (outcome.kind === 'ok') state = outcome.state;
    if (outcomes !== null) {
      const key = `${command.kind} ${outcome.kind}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
  }
  return state;
}

/** Requests for every step that does not depend on the state, rendered before timing starts. */
type PreparedRequest = HttpRequest | Extract<WorkloadStep, { kind: 'inventoryUpdate' }>;

function prepareRequests(steps: readonly WorkloadStep[]): readonly PreparedRequest[] {
  return steps.map((step) => (step.kind === 'inventoryUpdate' ? step : workloadRequest(step, () => 0)));
}

function runRequests(initial: State, prepared: readonly PreparedRequest[]): State {
  let state = initial;
  for (const item of prepared) {
    // Inventory updates carry the current generation, so only they are rendered while timing.
    const request = 'kind' in item ? workloadRequest(item, (uuid) => state.providers.get(uuid)?.generation ?? 0) : item;
    state = handle(state, request).state;
  }
  return state;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function perSecond(count: number, elapsedMilliseconds: number): number {
  return Math.round((count * 1000) / Math.max(elapsedMilliseconds, 1e-6));
}

export function benchmarkModel(options: BenchmarkOptions): BenchmarkResult {
  const settings = { ...DEFAULTS, ...withoutClock(options) };
  const initial = benchmarkState(settings.providersCount);
  const workload = { seed: settings.seed, providersCount: settings.providersCount, consumersCount: settings.consumersCount };
  const commandSteps = benchmarkWorkload({ ...workload, stepsCount: settings.commandsCount });
  const requests = prepareRequests(benchmarkWorkload({ ...workload, stepsCount: settings.requestsCount }));

  const outcomes = new Map<string, number>();
  runCommands(initial, commandSteps, outcomes);
  runRequests(initial, requests);

  const commandsPerSecondByRound: number[] = [];
  const requestsPerSecondByRound: number[] = [];
  for (let round = 0; round < settings.rounds; round += 1) {
    const commandsStart = options.nowMilliseconds();
    runCommands(initial, commandSteps, null);
    commandsPerSecondByRound.push(perSecond(commandSteps.length, options.nowMilliseconds() - commandsStart));
    const requestsStart = options.nowMilliseconds();
    runRequests(initial, requests);
    requestsPerSecondByRound.push(perSecond(requests.length, options.nowMilliseconds() - requestsStart));
  }
  return {
    commandsPerSecond: median(commandsPerSecondByRound),
    commandsPerSecondByRound,
    requestsPerSecond: median(requestsPerSecondByRound),
    requestsPerSecondByRound,
    outcomes: Object.fromEntries([...outcomes].sort(([left], [right]) => (left < right ? -1 : 1))),
    options: settings,
  };
}

function withoutClock(options: BenchmarkOptions): Partial<Omit<BenchmarkOptions, 'nowMilliseconds'>> {
  const { nowMilliseconds: _clock, ...rest } = options;
  return rest;
}
