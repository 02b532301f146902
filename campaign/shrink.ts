/**
 * Joint shrinking of a failing run: the program (clients, actions, setup,
 * providers, consumers, argument values) and the schedule together. Each
 * candidate re-runs deterministically, carrying the old interleaving over
 * where it still fits (a lenient replay); it is kept only if it still breaks
 * the same invariant and is smaller. Bounded by a budget of runs.
 */
import type { InvariantName } from '../properties/violation.ts';
import type { Action, ConsumerAllocationsSpec, Program } from '../sim/program/program.ts';
import { runProgramWith, type RunSettings, type SeedResult } from './runSeed.ts';

export interface ShrinkResult {
  readonly result: SeedResult;
  /** Candidate runs tried. */
  readonly attempts: number;
  readonly before: ShrinkSize;
  readonly after: ShrinkSize;
}

/** Compared lexicographically: earlier entries matter more. */
export type ShrinkSize = readonly [
  clients: number,
  actions: number,
  setupAllocations: number,
  providers: number,
  consumers: number,
  nonDefaultArguments: number,
  contextSwitches: number,
  scheduleLength: number,
];

interface Candidate {
  readonly program: Program;
  readonly schedule: readonly number[];
}

export function shrinkSize(program: Program, schedule: readonly number[]): ShrinkSize {
  let switches = 0;
  for (let index = 1; index < schedule.length; index += 1) if (schedule[index] !== schedule[index - 1]) switches += 1;
  const actions = program.clients.flat();
  return [
    program.clients.length,
    actions.length,
    program.setupAllocations.length,
    program.providers.length,
    program.consumers.length,
    actions.reduce((sum, action) => sum + nonDefaultArguments(action), 0),
    switches,
    schedule.length,
  ];
}

function smaller(left: ShrinkSize, right: ShrinkSize): boolean {
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index] ?? 0;
    const b = right[index] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}

function nonDefaultArguments(action: Action): number {
  const consumerCost = (spec: ConsumerAllocationsSpec): number =>
    (spec.generation === 'known' ? 0 : 1) + spec.allocations.reduce((sum, allocation) => sum + Object.values(allocation.resources).reduce((total, amount) => total + amount - 1, 0), 0);
  switch (action.kind) {
    case 'putAllocations':
      return (action.microversion === '1.39' ? 0 : 1) + consumerCost(action);
    case 'postAllocations':
      return (action.microversion === '1.39' ? 0 : 1) + action.consumers.reduce((sum, spec) => sum + consumerCost(spec), 0);
    case 'setInventory':
      return action.generation === 'known' ? 0 : 1;
    case 'deleteAllocations':
    case 'readConsumer':
    case 'deleteInventory':
    case 'deleteProvider':
    case 'readUsages':
      return 0;
    default:
      return assertNever(action);
  }
}

/**
 * Whether a candidate still shows the failure. By default: it still breaks
 * the invariant. For a defect, also: the same candidate without the defect
 * does not break it as often, so the shrunk run shows the defect and not a
 * finding of the profile it sits on.
 */
export type StillFails = (candidate: SeedResult, schedule: readonly number[]) => boolean;

export function breaksInvariant(invariant: InvariantName): StillFails {
  return (candidate) => candidate.violations.some((violation) => violation.invariant === invariant);
}

export function breaksInvariantBecauseOfDefects(invariant: InvariantName, settings: RunSettings): StillFails {
  const count = (result: SeedResult): number => result.violations.filter((violation) => violation.invariant === invariant).length;
  return (candidate, schedule) => {
    const withDefects = count(candidate);
    if (withDefects === 0) return false;
    const without = runProgramWith(candidate.options, candidate.program, { ...settings, target: { ...settings.target, defects: [] } }, { kind: 'lenient', choices: schedule }, invariant);
    return withDefects > count(without);
  };
}

export function shrinkFailure(start: SeedResult, invariant: InvariantName, settings: RunSettings, attemptsMax = 1_500, stillFails?: StillFails): ShrinkResult {
  const keeps = stillFails ?? (settings.target.defects.length > 0 ? breaksInvariantBecauseOfDefects(invariant, settings) : breaksInvariant(invariant));
  // The default tests read only the shrunk invariant's violations, so its
  // candidates check only that one (the linearizability search is most of a
  // check); the result is checked again with every invariant at the end. A
  // caller's own test may read any violation, so its candidates check all.
  const checked = stillFails === undefined ? invariant : 'all';
  let current: SeedResult = start;
  // The schedule source that made `current` (null: `start` itself), to make it again with every check.
  let currentChoices: readonly number[] | null = null;
  let currentSize = shrinkSize(start.program, start.run.schedule);
  const before = currentSize;
  let attempts = 0;
  let improved = true;
  // Candidates already tried, by their program and schedule. One tried again
  // (a later pass often rebuilds some of an earlier pass's candidates) would
  // be rejected again without its run: it then failed to keep the failure, or
  // was not smaller than the current size then, or was taken and became that
  // size; and the current size only ever decreases, strictly. It still counts
  // as an attempt, so attempts and the result are as without this set.
  const tried = new Set<string>();
  while (improved && attempts < attemptsMax) {
    improved = false;
    for (const candidate of candidates({ program: current.program, schedule: current.run.schedule })) {
      if (attempts >= attemptsMax) break;
      attempts += 1;
      const key = JSON.stringify([candidate.program, candidate.schedule]);
      if (tried.has(key)) continue;
      tried.add(key);
      const result = runProgramWith(current.options, candidate.program, settings, { kind: 'lenient', choices: candidate.schedule }, checked);
      if (!keeps(result, candidate.schedule)) continue;
      const size = shrinkSize(candidate.program, result.run.schedule);
      if (!smaller(size, currentSize)) continue;
      current = result;
      currentChoices = candidate.schedule;
      currentSize = size;
      improved = true;
      break;
    }
  }
  // The same program, options and schedule source make the same run, now with every invariant checked.
  if (currentChoices !== null && checked !== 'all') {
    current = runProgramWith(current.options, current.program, settings, { kind: 'lenient', choices: currentChoices });
  }
  return { result: current, attempts, before, after: currentSize };
}

/** Candidates from the biggest cuts to the smallest tweaks. */
function* candidates(current: Candidate): Generator<Candidate> {
  const { program, schedule } = current;
  for (let client = 0; client < program.clients.length; client += 1) yield withoutClient(current, client);
  for (let client = 0; client < program.clients.length; client += 1) {
    const actions = program.clients[client] ?? [];
    for (let index = 0; index < actions.length; index += 1) {
      yield { program: replaceClient(program, client, actions.filter((_action, position) => position !== index)), schedule };
    }
  }
  for (let index = 0; index < program.setupAllocations.length; index += 1) {
    yield { program: { ...program, setupAllocations: program.setupAllocations.filter((_allocation, position) => position !== index) }, schedule };
  }
  for (const provider of program.providers) yield { program: withoutProvider(program, provider.uuid), schedule };
  const mentioned = JSON.stringify([program.clients, program.setupAllocations]);
  for (const consumer of program.consumers) {
    if (mentioned.includes(consumer)) continue;
    yield { program: { ...program, consumers: program.consumers.filter((candidate) => candidate !== consumer) }, schedule };
  }
  for (let client = 0; client < program.clients.length; client += 1) {
    const actions = program.clients[client] ?? [];
    for (let index = 0; index < actions.length; index += 1) {
      const action = actions[index];
      if (action === undefined) continue;
      for (const simpler of simplifications(action)) {
        yield { program: replaceClient(program, client, actions.map((existing, position) => (position === index ? simpler : existing))), schedule };
      }
    }
  }
  // Fewer choices: delete chunks of the schedule, halves first.
  for (let chunk = Math.floor(schedule.length / 2); chunk >= 1; chunk = Math.floor(chunk / 2)) {
    for (let start = 0; start + chunk <= schedule.length; start += chunk) {
      yield { program, schedule: [...schedule.slice(0, start), ...schedule.slice(start + chunk)] };
    }
  }
}

function withoutClient(current: Candidate, client: number): Candidate {
  const clients = current.program.clients.filter((_actions, index) => index !== client);
  const schedule = current.schedule.filter((choice) => choice !== client).map((choice) => (choice > client ? choice - 1 : choice));
  return { program: { ...current.program, clients }, schedule };
}

function replaceClient(program: Program, client: number, actions: readonly Action[]): Program {
  return { ...program, clients: program.clients.map((existing, index) => (index === client ? actions : existing)) };
}

function mentions(action: Action, provider: string): boolean {
  return JSON.stringify(action).includes(provider);
}

function withoutProvider(program: Program, provider: string): Program {
  return {
    ...program,
    providers: program.providers.filter((candidate) => candidate.uuid !== provider),
    setupAllocations: program.setupAllocations.filter((allocation) => !allocation.allocations.some((spec) => spec.provider === provider)),
    clients: program.clients.map((actions) => actions.filter((action) => !mentions(action, provider))),
  };
}

function simplerSpec(spec: ConsumerAllocationsSpec): ConsumerAllocationsSpec[] {
  const simpler: ConsumerAllocationsSpec[] = [];
  if (spec.generation !== 'known') simpler.push({ ...spec, generation: 'known' });
  spec.allocations.forEach((allocation, index) => {
    for (const [resourceClass, amount] of Object.entries(allocation.resources)) {
      if (amount <= 1) continue;
      const allocations = spec.allocations.map((existing, position) =>
        position === index ? { ...existing, resources: { ...existing.resources, [resourceClass]: amount - 1 } } : existing,
      );
      simpler.push({ ...spec, allocations });
    }
  });
  return simpler;
}

function simplifications(action: Action): Action[] {
  switch (action.kind) {
    case 'putAllocations': {
      const result: Action[] = [];
      if (action.microversion !== '1.39') result.push({ ...action, microversion: '1.39' });
      for (const spec of simplerSpec(action)) result.push({ ...action, ...spec });
      return result;
    }
    case 'postAllocations': {
      const result: Action[] = [];
      if (action.microversion !== '1.39') result.push({ ...action, microversion: '1.39' });
      if (action.consumers.length > 1) {
        for (const spec of action.consumers) result.push({ kind: 'putAllocations', microversion: action.microversion, ...spec });
      }
      action.consumers.forEach((spec, index) => {
        for (const simpler of simplerSpec(spec)) result.push({ ...action, consumers: action.consumers.map((existing, position) => (position === index ? simpler : existing)) });
      });
      return result;
    }
    case 'setInventory':
      return action.generation === 'known' ? [] : [{ ...action, generation: 'known' }];
    case 'deleteAllocations':
    case 'readConsumer':
    case 'deleteInventory':
    case 'deleteProvider':
    case 'readUsages':
      return [];
    default:
      return assertNever(action);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled action: ${JSON.stringify(value)}`);
}
