/**
 * Provider generations a read saw, used to cut dead branches of the search
 * early.
 *
 * A provider's generation only ever grows while the provider exists (every
 * change adds one; only deleting and re-creating it starts again at 0). So a
 * successful GET that saw provider P at generation g can only be placed where
 * P is at exactly g, and once a branch of the search has moved P past g, no
 * continuation of it can place that GET. Without this, the search only
 * notices when the GET's return comes up, after placing many unrelated
 * operations in every possible order in between.
 *
 * Only GETs are read, because their bodies show the state as it is; only
 * providers that no operation of the partition deletes are used, because
 * deleting and re-creating a provider resets its generation.
 */
import type { State } from '../../model/index.ts';
import { isUuidLike, normalizeUuid } from '../../model/uuid.ts';
import { targetPath } from './operationFootprint.ts';
import type { PreparedOperation } from './preparedOperation.ts';

export interface ProviderGenerationObservation {
  readonly providerUuid: string;
  readonly generation: number;
}

/**
 * What a successful GET's body says about provider generations; empty for
 * anything else. Method and status are read first, so no other response's
 * body is parsed for this.
 */
export function observedProviderGenerations(prepared: PreparedOperation): readonly ProviderGenerationObservation[] {
  const operation = prepared.operation;
  const completion = operation.completion;
  if (operation.request.method !== 'GET' || completion.kind !== 'response' || completion.response.status !== 200) return [];
  const observed = prepared.observed;
  if (observed === null || observed.body.kind !== 'json') return [];
  const body = observed.body.value;
  const segments = targetPath(operation.request.path).split('/').slice(1);
  const [root, identifier] = segments;
  const observations: ProviderGenerationObservation[] = [];
  if (root === 'resource_providers' && identifier !== undefined) {
    if (segments.length === 2) addObservation(observations, field(body, 'uuid'), field(body, 'generation'));
    else addObservation(observations, identifier, field(body, 'resource_provider_generation'));
  } else if (root === 'resource_providers' && segments.length === 1) {
    const listed = field(body, 'resource_providers');
    for (const item of Array.isArray(listed) ? (listed as readonly unknown[]) : []) addObservation(observations, field(item, 'uuid'), field(item, 'generation'));
  } else if (root === 'allocations' && segments.length === 2) {
    const allocations = field(body, 'allocations');
    if (isRecord(allocations)) for (const [providerUuid, entry] of Object.entries(allocations)) addObservation(observations, providerUuid, field(entry, 'generation'));
  }
  return observations;
}

function addObservation(observations: ProviderGenerationObservation[], providerUuid: unknown, generation: unknown): void {
  if (typeof providerUuid === 'string' && typeof generation === 'number' && Number.isSafeInteger(generation)) {
    observations.push({ providerUuid, generation });
  }
}

const PROVIDERS = 'resource_providers';

/** Providers some operation may delete: their generations can go back to 0. */
export function possiblyDeletedProviders(operations: readonly PreparedOperation[]): ReadonlySet<string> {
  const deleted = new Set<string>();
  for (const prepared of operations) {
    const request = prepared.operation.request;
    if (request.method !== 'DELETE') continue;
    const path = targetPath(request.path);
    // A path without the text cannot have it as a segment: most deletions are of allocations, and need no split.
    if (!path.includes(PROVIDERS)) continue;
    const segments = path.split('/').slice(1);
    const target = segments[1];
    if (segments.length === 2 && segments[0] === PROVIDERS && target !== undefined) {
      deleted.add(target);
      // Normalising can only add entries, never hide a deletion.
      if (isUuidLike(target)) deleted.add(normalizeUuid(target));
    }
  }
  return deleted;
}

/** True when the state has moved some observed provider past the generation the read saw. */
export function isPastObservation(state: State, observations: readonly ProviderGenerationObservation[]): boolean {
  for (const observation of observations) {
    const provider = state.providers.get(observation.providerUuid);
    if (provider !== undefined && provider.generation > observation.generation) return true;
  }
  return false;
}

function field(value: unknown, name: string): unknown {
  return isRecord(value) ? value[name] : undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
