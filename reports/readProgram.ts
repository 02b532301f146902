/**
 * Reads a program back from a report's JSON, field by field: a live replay
 * re-sends the recorded program, so a malformed one must be refused with the
 * JSON path of its first problem, not crash halfway through a run.
 */
import type { Action, ActionKind, AllocationSpec, ConsumerAllocationsSpec, GenerationChoice, InventorySpec, Program, ProviderSpec } from '../sim/program/program.ts';

export type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ACTION_KINDS: readonly ActionKind[] = [
  'putAllocations',
  'postAllocations',
  'deleteAllocations',
  'readConsumer',
  'setInventory',
  'deleteInventory',
  'deleteProvider',
  'readUsages',
];
const GENERATION_CHOICES: readonly GenerationChoice[] = ['known', 'null', 'stale'];
const INVENTORY_FIELDS: readonly (keyof InventorySpec)[] = ['total', 'reserved', 'minUnit', 'maxUnit', 'stepSize', 'allocationRatio'];
/** Knowledge.render splits the microversion into major and minor numbers. */
const MICROVERSION = /^\d+\.\d+$/;

export function readProgram(value: unknown, path: string): Read<Program> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const providers = readArray(record.value['providers'], `${path}.providers`, readProvider);
  if (!providers.ok) return providers;
  const consumers = readArray(record.value['consumers'], `${path}.consumers`, readString);
  if (!consumers.ok) return consumers;
  const setupAllocations = readArray(record.value['setupAllocations'], `${path}.setupAllocations`, readSetupAllocation);
  if (!setupAllocations.ok) return setupAllocations;
  const clients = readArray(record.value['clients'], `${path}.clients`, (item, itemPath) => readArray(item, itemPath, readAction));
  if (!clients.ok) return clients;
  return good({ providers: providers.value, consumers: consumers.value, setupAllocations: setupAllocations.value, clients: clients.value });
}

function readProvider(value: unknown, path: string): Read<ProviderSpec> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const uuid = readString(record.value['uuid'], `${path}.uuid`);
  if (!uuid.ok) return uuid;
  const name = readString(record.value['name'], `${path}.name`);
  if (!name.ok) return name;
  const inventories = readInventories(record.value['inventories'], `${path}.inventories`);
  if (!inventories.ok) return inventories;
  return good({ uuid: uuid.value, name: name.value, inventories: inventories.value });
}

function readInventories(value: unknown, path: string): Read<Readonly<Record<string, InventorySpec>>> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const inventories: Record<string, InventorySpec> = {};
  for (const [resourceClass, item] of Object.entries(record.value)) {
    const itemPath = `${path}.${resourceClass}`;
    const inventory = readRecord(item, itemPath);
    if (!inventory.ok) return inventory;
    const spec: Partial<Record<keyof InventorySpec, number>> = {};
    for (const field of INVENTORY_FIELDS) {
      const number = readNumber(inventory.value[field], `${itemPath}.${field}`);
      if (!number.ok) return number;
      spec[field] = number.value;
    }
    // Every field of InventorySpec was read just above.
    inventories[resourceClass] = spec as InventorySpec;
  }
  return good(inventories);
}

function readSetupAllocation(value: unknown, path: string): Read<Program['setupAllocations'][number]> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const consumer = readString(record.value['consumer'], `${path}.consumer`);
  if (!consumer.ok) return consumer;
  const allocations = readArray(record.value['allocations'], `${path}.allocations`, readAllocation);
  if (!allocations.ok) return allocations;
  return good({ consumer: consumer.value, allocations: allocations.value });
}

function readAllocation(value: unknown, path: string): Read<AllocationSpec> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const provider = readString(record.value['provider'], `${path}.provider`);
  if (!provider.ok) return provider;
  const resources = readRecord(record.value['resources'], `${path}.resources`);
  if (!resources.ok) return resources;
  const amounts: Record<string, number> = {};
  for (const [resourceClass, amount] of Object.entries(resources.value)) {
    const number = readNumber(amount, `${path}.resources.${resourceClass}`);
    if (!number.ok) return number;
    amounts[resourceClass] = number.value;
  }
  return good({ provider: provider.value, resources: amounts });
}

function readConsumerAllocations(value: unknown, path: string): Read<ConsumerAllocationsSpec> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const consumer = readString(record.value['consumer'], `${path}.consumer`);
  if (!consumer.ok) return consumer;
  const allocations = readArray(record.value['allocations'], `${path}.allocations`, readAllocation);
  if (!allocations.ok) return allocations;
  const generation = readChoice(record.value['generation'], `${path}.generation`, GENERATION_CHOICES);
  if (!generation.ok) return generation;
  return good({ consumer: consumer.value, allocations: allocations.value, generation: generation.value });
}

function readAction(value: unknown, path: string): Read<Action> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const fields = record.value;
  const kind = readChoice(fields['kind'], `${path}.kind`, ACTION_KINDS);
  if (!kind.ok) return kind;
  const text = (field: string): Read<string> => readString(fields[field], `${path}.${field}`);
  switch (kind.value) {
    case 'putAllocations': {
      const microversion = readMicroversion(fields['microversion'], `${path}.microversion`);
      if (!microversion.ok) return microversion;
      const spec = readConsumerAllocations(fields, path);
      return spec.ok ? good({ kind: 'putAllocations', microversion: microversion.value, ...spec.value }) : spec;
    }
    case 'postAllocations': {
      const microversion = readMicroversion(fields['microversion'], `${path}.microversion`);
      if (!microversion.ok) return microversion;
      const consumers = readArray(fields['consumers'], `${path}.consumers`, readConsumerAllocations);
      return consumers.ok ? good({ kind: 'postAllocations', microversion: microversion.value, consumers: consumers.value }) : consumers;
    }
    case 'deleteAllocations':
    case 'readConsumer': {
      const consumer = text('consumer');
      return consumer.ok ? good({ kind: kind.value, consumer: consumer.value }) : consumer;
    }
    case 'setInventory': {
      const provider = text('provider');
      if (!provider.ok) return provider;
      const inventories = readInventories(fields['inventories'], `${path}.inventories`);
      if (!inventories.ok) return inventories;
      const generation = readChoice(fields['generation'], `${path}.generation`, ['known', 'stale'] as const);
      if (!generation.ok) return generation;
      return good({ kind: 'setInventory', provider: provider.value, inventories: inventories.value, generation: generation.value });
    }
    case 'deleteInventory': {
      const provider = text('provider');
      if (!provider.ok) return provider;
      const resourceClass = text('resourceClass');
      return resourceClass.ok ? good({ kind: 'deleteInventory', provider: provider.value, resourceClass: resourceClass.value }) : resourceClass;
    }
    case 'deleteProvider':
    case 'readUsages': {
      const provider = text('provider');
      return provider.ok ? good({ kind: kind.value, provider: provider.value }) : provider;
    }
    default:
      return assertNever(kind.value);
  }
}

// Primitive readers: the value, or the first problem with its path. ------

export function good<T>(value: T): Read<T> {
  return { ok: true, value };
}

export function fail(message: string): { readonly ok: false; readonly message: string } {
  return { ok: false, message };
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

export function readRecord(value: unknown, path: string): Read<Readonly<Record<string, unknown>>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`${path} must be an object, got ${describe(value)}`);
  return good(value as Readonly<Record<string, unknown>>);
}

export function readArray<T>(value: unknown, path: string, readItem: (item: unknown, itemPath: string) => Read<T>): Read<readonly T[]> {
  if (!Array.isArray(value)) return fail(`${path} must be an array, got ${describe(value)}`);
  const items: T[] = [];
  for (const [index, item] of (value as readonly unknown[]).entries()) {
    const read = readItem(item, `${path}[${index}]`);
    if (!read.ok) return read;
    items.push(read.value);
  }
  return good(items);
}

export function readString(value: unknown, path: string): Read<string> {
  return typeof value === 'string' ? good(value) : fail(`${path} must be a string, got ${describe(value)}`);
}

function readNumber(value: unknown, path: string): Read<number> {
  return typeof value === 'number' && Number.isFinite(value) ? good(value) : fail(`${path} must be a finite number, got ${describe(value)}`);
}

function readMicroversion(value: unknown, path: string): Read<string> {
  const text = readString(value, path);
  if (!text.ok) return text;
  return MICROVERSION.test(text.value) ? text : fail(`${path} must be a microversion like "1.39", got ${JSON.stringify(text.value)}`);
}

export function readChoice<T extends string>(value: unknown, path: string, choices: readonly T[]): Read<T> {
  const found = choices.find((choice) => choice === value);
  return found === undefined ? fail(`${path} must be one of ${choices.join(', ')}, got ${describe(value)}`) : good(found);
}

function assertNever(value: never): never {
  throw new Error(`unexpected action kind ${JSON.stringify(value)}`);
}
