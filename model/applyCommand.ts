/**
 * Runs a typed command against a state: the fast path under the HTTP layer,
 * used by the simulation and the benchmark.
 */
import { deleteAllocations, writeAllocations } from './allocationWrites.ts';
import {
  createResourceClass,
  deleteProviderTraits,
  deleteResourceClass,
  deleteTrait,
  ensureResourceClass,
  ensureTrait,
  setAggregates,
  setProviderTraits,
} from './classifierCommands.ts';
import type { Command, Outcome } from './commands.ts';
import { createInventory, deleteInventories, deleteInventory, setInventories, updateInventory } from './inventoryCommands.ts';
import { createProvider, deleteProvider, updateProvider } from './providerCommands.ts';
import type { State } from './state.ts';

export function applyCommand(state: State, command: Command): Outcome {
  switch (command.kind) {
    case 'createProvider':
      return createProvider(state, command.uuid, command.name, command.parentUuid);
    case 'updateProvider':
      return updateProvider(state, command.uuid, command.name, command.parentUuid, command.allowReparenting);
    case 'deleteProvider':
      return deleteProvider(state, command.uuid);
    case 'createInventory':
      return createInventory(state, command.providerUuid, command.resourceClass, command.inventory, command.capacityRule);
    case 'setInventories':
      return setInventories(state, command.providerUuid, command.generation, command.inventories, command.capacityRule);
    case 'updateInventory':
      return updateInventory(state, command.providerUuid, command.resourceClass, command.generation, command.inventory, command.capacityRule);
    case 'deleteInventory':
      return deleteInventory(state, command.providerUuid, command.resourceClass);
    case 'deleteInventories':
      return deleteInventories(state, command.providerUuid);
    case 'writeAllocations':
      return writeAllocations(state, command.form, command.consumers, command.checkGenerations);
    case 'deleteAllocations':
      return deleteAllocations(state, command.consumerUuid);
    case 'createResourceClass':
      return createResourceClass(state, command.name);
    case 'ensureResourceClass':
      return ensureResourceClass(state, command.name);
    case 'deleteResourceClass':
      return deleteResourceClass(state, command.name);
    case 'ensureTrait':
      return ensureTrait(state, command.name);
    case 'deleteTrait':
      return deleteTrait(state, command.name);
    case 'setProviderTraits':
      return setProviderTraits(state, command.providerUuid, command.generation, command.traits);
    case 'deleteProviderTraits':
      return deleteProviderTraits(state, command.providerUuid);
    case 'setAggregates':
      return setAggregates(state, command.providerUuid, command.aggregates, command.generation);
    default:
      return assertNever(command);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled command: ${JSON.stringify(value)}`);
}
