/**
 * Law: provider generations change exactly on the writes Placement 8.0.0
 * lists, by exactly 1:
 *   - any successful inventory write: +1 on its provider;
 *   - PUT traits: +1 only if the set changed; DELETE traits: +1 only if
 *     there were traits;
 *   - PUT aggregates: +1 from 1.19, nothing before;
 *   - allocation writes: +1 once per distinct provider in the written list
 *     (the new payload, plus the old rows of consumers being cleared);
 *     nothing for a provider that only lost rows;
 *   - a new provider starts at 0; everything else changes nothing.
 */
import type { State } from '../../state.ts';
import { consumerUuid, providerUuid } from '../modelSession.ts';
import type { Step } from '../replay.ts';
import { attemptedWrite, minorOf, type ConsumerWriteSpec, type WriteSpec } from '../requestSpec.ts';
import { succeeded, type StepLaw } from './stepLaw.ts';

interface Expected {
  readonly bumped: ReadonlySet<string>;
  readonly created: string | null;
  readonly deleted: string | null;
}

const NOTHING: Expected = { bumped: new Set(), created: null, deleted: null };

/** Providers an allocation write names: its payload, or a cleared consumer's old rows. */
export function writtenProviders(before: State, writes: readonly ConsumerWriteSpec[]): ReadonlySet<string> {
  const written = new Set<string>();
  for (const write of writes) {
    if (write.allocations.length > 0) {
      for (const allocation of write.allocations) written.add(providerUuid(allocation.provider));
    } else {
      for (const row of before.consumers.get(consumerUuid(write.consumer))?.allocations ?? []) written.add(row.providerUuid);
    }
  }
  return written;
}

function expectedChange(step: Step, write: WriteSpec): Expected {
  const only = (index: number): Expected => ({ ...NOTHING, bumped: new Set([providerUuid(index)]) });
  switch (write.kind) {
    case 'createProvider':
      return { ...NOTHING, created: providerUuid(write.provider) };
    case 'deleteProvider':
      return { ...NOTHING, deleted: providerUuid(write.provider) };
    case 'createInventory':
    case 'setInventories':
    case 'updateInventory':
    case 'deleteInventory':
    case 'deleteInventories':
      return only(write.provider);
    case 'putAllocations':
      return { ...NOTHING, bumped: writtenProviders(step.before, [write.write]) };
    case 'postAllocations':
      return { ...NOTHING, bumped: writtenProviders(step.before, write.writes) };
    case 'setProviderTraits': {
      const current = step.before.providers.get(providerUuid(write.provider))?.traits ?? [];
      const wanted = [...new Set(write.traits)].sort();
      const same = wanted.length === current.length && wanted.every((name) => current.includes(name));
      return same ? NOTHING : only(write.provider);
    }
    case 'deleteProviderTraits': {
      const current = step.before.providers.get(providerUuid(write.provider))?.traits ?? [];
      return current.length > 0 ? only(write.provider) : NOTHING;
    }
    case 'setAggregates':
      return minorOf(step.spec.microversion) >= 19 ? only(write.provider) : NOTHING;
    case 'updateProvider':
    case 'deleteAllocations':
    case 'putTrait':
    case 'deleteTrait':
    case 'putResourceClass':
    case 'deleteResourceClass':
      return NOTHING;
    default:
      return assertNever(write);
  }
}

export const providerGenerations: StepLaw = {
  name: 'provider generations change exactly when the rules say',
  check: (step) => {
    const write = attemptedWrite(step.spec);
    const expected = write === null || !succeeded(step) ? NOTHING : expectedChange(step, write);
    const uuids = new Set([...step.before.providers.keys(), ...step.after.providers.keys()]);
    for (const uuid of uuids) {
      const before = step.before.providers.get(uuid);
      const after = step.after.providers.get(uuid);
      if (before === undefined && after !== undefined) {
        if (uuid !== expected.created) return `provider ${uuid} appeared`;
        if (after.generation !== 0) return `new provider ${uuid} starts at generation ${after.generation}, not 0`;
      } else if (before !== undefined && after === undefined) {
        if (uuid !== expected.deleted) return `provider ${uuid} disappeared`;
      } else if (before !== undefined && after !== undefined) {
        const wanted = before.generation + (expected.bumped.has(uuid) ? 1 : 0);
        if (after.generation !== wanted) return `provider ${uuid} generation ${before.generation} -> ${after.generation}, expected ${wanted}`;
      }
    }
    return null;
  },
};

function assertNever(value: never): never {
  throw new Error(`unhandled write: ${JSON.stringify(value)}`);
}
