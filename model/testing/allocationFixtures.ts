/**
 * Shared set-up for the allocation rule tests: providers with inventory and
 * request bodies in each microversion's format.
 */
import type { Exchange } from './modelSession.ts';
import { ModelSession, consumerUuid, providerUuid } from './modelSession.ts';

export type Resources = Readonly<Record<string, number>>;

/** Provider number → resources, in body order. */
export type AllocationsByProvider = readonly (readonly [number, Resources])[];

/** A session with providers 1..n, each given the inventories listed (PUT-all at 1.39). */
export function sessionWithInventories(inventories: readonly Readonly<Record<string, Readonly<Record<string, number>>>>[]): ModelSession {
  const session = new ModelSession();
  inventories.forEach((perClass, index) => {
    const uuid = providerUuid(index + 1);
    const created = session.send('POST', '/resource_providers', { microversion: '1.39', body: { name: `rp${index + 1}`, uuid } });
    if (created.status !== 200) throw new Error(`fixture: provider ${uuid} not created: ${created.body}`);
    const set = session.send('PUT', `/resource_providers/${uuid}/inventories`, {
      microversion: '1.39',
      body: { resource_provider_generation: 0, inventories: perClass },
    });
    if (set.status !== 200) throw new Error(`fixture: inventory of ${uuid} not set: ${set.body}`);
  });
  return session;
}

/** The dict format of 1.12 and later. */
export function dictAllocations(allocations: AllocationsByProvider): Record<string, { resources: Resources }> {
  const body: Record<string, { resources: Resources }> = {};
  for (const [provider, resources] of allocations) body[providerUuid(provider)] = { resources };
  return body;
}

/** The list format before 1.12; repeated providers are kept as given. */
export function listAllocations(allocations: AllocationsByProvider): { resource_provider: { uuid: string }; resources: Resources }[] {
  return allocations.map(([provider, resources]) => ({ resource_provider: { uuid: providerUuid(provider) }, resources }));
}

export interface ConsumerFields {
  readonly generation?: number | null;
  readonly consumerType?: string;
  readonly projectId?: string;
  readonly userId?: string;
}

/** The body PUT /allocations/{c} needs at `microversion` (1.12 and later). */
export function consumerBody(microversion: string, allocations: AllocationsByProvider, fields: ConsumerFields = {}): Record<string, unknown> {
  const minor = Number(microversion.split('.')[1]);
  const body: Record<string, unknown> = {
    allocations: dictAllocations(allocations),
    project_id: fields.projectId ?? 'p',
    user_id: fields.userId ?? 'u',
  };
  if (minor >= 28) body['consumer_generation'] = fields.generation ?? null;
  if (minor >= 38) body['consumer_type'] = fields.consumerType ?? 'INSTANCE';
  return body;
}

export function putAllocations(
  session: ModelSession,
  consumer: number,
  allocations: AllocationsByProvider,
  fields: ConsumerFields = {},
  microversion = '1.39',
): Exchange {
  return session.send('PUT', `/allocations/${consumerUuid(consumer)}`, { microversion, body: consumerBody(microversion, allocations, fields) });
}

/** POST /allocations with one entry per consumer, in the order given. */
export function postAllocations(
  session: ModelSession,
  consumers: readonly (readonly [number, AllocationsByProvider, ConsumerFields?])[],
  microversion = '1.39',
): Exchange {
  const body: Record<string, unknown> = {};
  for (const [consumer, allocations, fields] of consumers) body[consumerUuid(consumer)] = consumerBody(microversion, allocations, fields ?? {});
  return session.send('POST', '/allocations', { microversion, body });
}

export function providerGeneration(session: ModelSession, provider: number): number {
  const shown = session.send('GET', `/resource_providers/${providerUuid(provider)}`, { microversion: '1.39' });
  return (shown.json as { generation: number }).generation;
}

export function usages(session: ModelSession, provider: number): unknown {
  return (session.send('GET', `/resource_providers/${providerUuid(provider)}/usages`, { microversion: '1.39' }).json as { usages: unknown }).usages;
}

export function consumerAllocations(session: ModelSession, consumer: number, microversion = '1.39'): unknown {
  return session.send('GET', `/allocations/${consumerUuid(consumer)}`, { microversion }).json;
}
