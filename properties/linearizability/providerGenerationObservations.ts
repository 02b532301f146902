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
  const path = targetPath(operation.request.path);
  const shape = segmentsOf(path);
  const observations: ProviderGenerationObservation[] = [];
  if (shape === null) return observations;
  if (segmentIs(path, shape.rootFrom, shape.rootTo, PROVIDERS) && shape.count >= 2) {
    if (shape.count === 2) addObservation(observations, field(body, 'uuid'), field(body, 'generation'));
    else addObservation(observations, path.slice(shape.rootTo + 1, shape.identifierTo), field(body, 'resource_provider_generation'));
  } else if (segmentIs(path, shape.rootFrom, shape.rootTo, PROVIDERS) && shape.count === 1) {
    const listed = field(body, 'resource_providers');
    for (const item of Array.isArray(listed) ? (listed as readonly unknown[]) : []) addObservation(observations, field(item, 'uuid'), field(item, 'generation'));
  } else if (segmentIs(path, shape.rootFrom, shape.rootTo, ALLOCATIONS) && shape.count === 2) {
    const allocations = field(body, 'allocations');
    if (isRecord(allocations)) for (const [providerUuid, entry] of Object.entries(allocations)) addObservation(observations, providerUuid, field(entry, 'generation'));
  }
  return observations;
}

/**
 * What the readings above take of `path.split('/').slice(1)`, found by the
 * slashes instead of splitting: how many segments (counted up to 3), and
 * where the first two end. `null` when there are none (no slash).
 */
interface Segments {
  readonly count: number;
  readonly rootFrom: number;
  readonly rootTo: number;
  readonly identifierTo: number;
}

function segmentsOf(path: string): Segments | null {
  const first = path.indexOf('/');
  if (first < 0) return null;
  const second = path.indexOf('/', first + 1);
  if (second < 0) return { count: 1, rootFrom: first + 1, rootTo: path.length, identifierTo: path.length };
  const third = path.indexOf('/', second + 1);
  return third < 0 ? { count: 2, rootFrom: first + 1, rootTo: second, identifierTo: path.length } : { count: 3, rootFrom: first + 1, rootTo: second, identifierTo: third };
}

/** Whether `path.slice(from, to)` is `text`, without the slice. */
function segmentIs(path: string, from: number, to: number, text: string): boolean {
  return to - from === text.length && path.startsWith(text, from);
}

const ALLOCATIONS = 'allocations';

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
    const target = deletedProvider(targetPath(request.path));
    if (target === null) continue;
    deleted.add(target);
    // Normalising can only add entries, never hide a deletion.
    if (isUuidLike(target)) deleted.add(normalizeUuid(target));
  }
  return deleted;
}

/**
 * The provider a deletion of `path` names, or `null`: `segments[1]` when
 * `path.split('/').slice(1)` is `[PROVIDERS, segments[1]]`, read by finding
 * the slashes instead of splitting (most deletions are of allocations and
 * inventories, which the second test or the third rules out).
 */
function deletedProvider(path: string): string | null {
  const first = path.indexOf('/');
  if (first < 0) return null;
  const second = path.indexOf('/', first + 1);
  if (second !== first + 1 + PROVIDERS.length || !path.startsWith(PROVIDERS, first + 1)) return null;
  return path.indexOf('/', second + 1) < 0 ? path.slice(second + 1) : null;
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
