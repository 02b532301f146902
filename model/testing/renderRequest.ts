/**
 * Renders a `RequestSpec` to the HTTP request a client would send, in the
 * body format of the spec's microversion (list allocations before 1.12,
 * project and user from 1.8, consumer generations from 1.28, consumer
 * types from 1.38, aggregate generations from 1.19).
 *
 * "Send the current generation" needs to know the target's generations;
 * they come from a `GenerationSource`, so the same specs can drive the
 * model (read its state) or a real service (read what it last answered).
 */
import { inventoryRequestFields, placementRequest, type HttpRequest } from '../http.ts';
import type { State } from '../state.ts';
import { consumerUuid, providerUuid } from './modelSession.ts';
import {
  minorOf,
  type ConsumerWriteSpec,
  type Defect,
  type GenerationChoice,
  type MicroversionText,
  type ReadTarget,
  type RequestSpec,
  type WriteSpec,
} from './requestSpec.ts';

export interface GenerationSource {
  /** `undefined` when the provider does not exist. */
  providerGeneration(uuid: string): number | undefined;
  /** `undefined` when the consumer does not exist. */
  consumerGeneration(uuid: string): number | undefined;
}

export function stateGenerations(state: State): GenerationSource {
  return {
    providerGeneration: (uuid) => state.providers.get(uuid)?.generation,
    consumerGeneration: (uuid) => state.consumers.get(uuid)?.generation,
  };
}

export function aggregateUuid(index: number): string {
  return `11111111-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function renderRequest(spec: RequestSpec, generations: GenerationSource): HttpRequest {
  switch (spec.kind) {
    case 'read':
      return placementRequest('GET', readPath(spec.target), { microversion: spec.microversion });
    case 'write':
      return renderWrite(spec.write, spec.microversion, generations);
    case 'defective':
      return withDefect(renderWrite(spec.write, spec.microversion, generations), spec.defect);
    default:
      return assertNever(spec);
  }
}

function readPath(target: ReadTarget): string {
  switch (target.kind) {
    case 'provider':
      return `/resource_providers/${providerUuid(target.provider)}`;
    case 'providers':
      return '/resource_providers';
    case 'inventories':
      return `/resource_providers/${providerUuid(target.provider)}/inventories`;
    case 'providerUsages':
      return `/resource_providers/${providerUuid(target.provider)}/usages`;
    case 'providerAllocations':
      return `/resource_providers/${providerUuid(target.provider)}/allocations`;
    case 'consumerAllocations':
      return `/allocations/${consumerUuid(target.consumer)}`;
    case 'totalUsages':
      return `/usages?project_id=${target.projectId}${target.consumerType === null ? '' : `&consumer_type=${target.consumerType}`}`;
    case 'traits':
      return '/traits';
    case 'resourceClasses':
      return '/resource_classes';
    default:
      return assertNever(target);
  }
}

function providerGeneration(choice: GenerationChoice, uuid: string, generations: GenerationSource): number | null {
  if (choice.kind === 'literal') return choice.value;
  return generations.providerGeneration(uuid) ?? 0;
}

function consumerGeneration(choice: GenerationChoice, uuid: string, generations: GenerationSource): number | null {
  if (choice.kind === 'literal') return choice.value;
  return generations.consumerGeneration(uuid) ?? null;
}


function renderWrite(write: WriteSpec, microversion: MicroversionText, generations: GenerationSource): HttpRequest {
  const send = (method: string, path: string, body?: unknown): HttpRequest =>
    placementRequest(method, path, body === undefined ? { microversion } : { microversion, body });
  const providerPath = (index: number): string => `/resource_providers/${providerUuid(index)}`;
  switch (write.kind) {
    case 'createProvider':
      return send('POST', '/resource_providers', {
        name: write.name,
        uuid: providerUuid(write.provider),
        ...(write.parent === null ? {} : { parent_provider_uuid: providerUuid(write.parent) }),
      });
    case 'updateProvider':
      return send('PUT', providerPath(write.provider), {
        name: write.name,
        ...(write.parent === 'absent' ? {} : { parent_provider_uuid: write.parent === null ? null : providerUuid(write.parent) }),
      });
    case 'deleteProvider':
      return send('DELETE', providerPath(write.provider));
    case 'createInventory':
      return send('POST', `${providerPath(write.provider)}/inventories`, { resource_class: write.inventory.resourceClass, ...inventoryRequestFields(write.inventory) });
    case 'setInventories': {
      const inventories: Record<string, Record<string, number>> = {};
      for (const inventory of write.inventories) inventories[inventory.resourceClass] = inventoryRequestFields(inventory);
      const generation = providerGeneration(write.generation, providerUuid(write.provider), generations);
      return send('PUT', `${providerPath(write.provider)}/inventories`, { resource_provider_generation: generation, inventories });
    }
    case 'updateInventory': {
      const generation = providerGeneration(write.generation, providerUuid(write.provider), generations);
      return send('PUT', `${providerPath(write.provider)}/inventories/${write.inventory.resourceClass}`, {
        ...inventoryRequestFields(write.inventory),
        resource_provider_generation: generation,
      });
    }
    case 'deleteInventory':
      return send('DELETE', `${providerPath(write.provider)}/inventories/${write.resourceClass}`);
    case 'deleteInventories':
      return send('DELETE', `${providerPath(write.provider)}/inventories`);
    case 'putAllocations':
      return send('PUT', `/allocations/${consumerUuid(write.write.consumer)}`, consumerBody(write.write, microversion, generations));
    case 'postAllocations': {
      const body: Record<string, unknown> = {};
      for (const entry of write.writes) body[consumerUuid(entry.consumer)] = consumerBody(entry, microversion, generations);
      return send('POST', '/allocations', body);
    }
    case 'deleteAllocations':
      return send('DELETE', `/allocations/${consumerUuid(write.consumer)}`);
    case 'setProviderTraits':
      return send('PUT', `${providerPath(write.provider)}/traits`, {
        traits: write.traits,
        resource_provider_generation: providerGeneration(write.generation, providerUuid(write.provider), generations),
      });
    case 'deleteProviderTraits':
      return send('DELETE', `${providerPath(write.provider)}/traits`);
    case 'putTrait':
      return send('PUT', `/traits/${write.name}`);
    case 'deleteTrait':
      return send('DELETE', `/traits/${write.name}`);
    case 'setAggregates': {
      const aggregates = write.aggregates.map(aggregateUuid);
      if (minorOf(microversion) < 19) return send('PUT', `${providerPath(write.provider)}/aggregates`, aggregates);
      const generation = providerGeneration(write.generation, providerUuid(write.provider), generations);
      return send('PUT', `${providerPath(write.provider)}/aggregates`, { aggregates, resource_provider_generation: generation });
    }
    case 'putResourceClass':
      return send('PUT', `/resource_classes/${write.name}`);
    case 'deleteResourceClass':
      return send('DELETE', `/resource_classes/${write.name}`);
    default:
      return assertNever(write);
  }
}

/** PUT /allocations/{c} body, or one consumer's entry of a POST, at `microversion`. */
function consumerBody(write: ConsumerWriteSpec, microversion: MicroversionText, generations: GenerationSource): Record<string, unknown> {
  const minor = minorOf(microversion);
  const body: Record<string, unknown> = {};
  if (minor < 12) {
    body['allocations'] = write.allocations.map((allocation) => ({
      resource_provider: { uuid: providerUuid(allocation.provider) },
      resources: Object.fromEntries(allocation.resources),
    }));
  } else {
    const allocations: Record<string, { resources: Record<string, number> }> = {};
    for (const allocation of write.allocations) allocations[providerUuid(allocation.provider)] = { resources: Object.fromEntries(allocation.resources) };
    body['allocations'] = allocations;
  }
  if (minor >= 8) {
    body['project_id'] = write.projectId;
    body['user_id'] = write.userId;
  }
  if (minor >= 28) body['consumer_generation'] = consumerGeneration(write.generation, consumerUuid(write.consumer), generations);
  if (minor >= 38) body['consumer_type'] = write.consumerType;
  return body;
}

function withDefect(request: HttpRequest, defect: Defect): HttpRequest {
  const headers: Record<string, string> = { ...request.headers };
  switch (defect) {
    case 'truncatedJson':
      headers['content-type'] = 'application/json';
      return { ...request, headers, body: (request.body ?? '{"a": 1}').slice(0, -1) };
    case 'noContentType':
      delete headers['content-type'];
      return { ...request, headers };
    case 'wrongContentType':
      headers['content-type'] = 'text/plain';
      return { ...request, headers };
    case 'noToken':
      delete headers['x-auth-token'];
      return { ...request, headers };
    case 'unacceptableVersion':
      headers['openstack-api-version'] = 'placement 1.40';
      return { ...request, headers };
    case 'malformedVersion':
      headers['openstack-api-version'] = 'placement one.two';
      return { ...request, headers };
    default:
      return assertNever(defect);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
