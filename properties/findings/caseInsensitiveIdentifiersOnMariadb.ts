/**
 * Deployment behaviour: on MariaDB (and MySQL) Placement compares the
 * identifiers it stores in the database case-insensitively.
 *
 * Placement 8.0.0 leaves string comparison to the database: its tables get
 * the server's default collation, which is case-insensitive on Debian's
 * MariaDB (utf8mb4_general_ci), while sqlite and PostgreSQL compare bytes.
 * So on MariaDB a provider named `RP-A` collides with `rp-a`, an upper-case
 * provider or consumer uuid finds the lower-case row, and `PROJ-A` is the
 * same project as `proj-a`. Resource classes and traits are not affected:
 * Placement looks them up in a Python dict, and their pattern allows upper
 * case only. The model describes byte comparison (sqlite, PostgreSQL); this
 * finding explains a difference on MariaDB when the sequence used two
 * identifiers that differ only by case and the difference involves one.
 */
import { placementRequest, type HttpRequest } from '../../model/index.ts';
import type { Finding } from '../findings.ts';
import { isRecord, requestBody } from './requestBody.ts';

const UUID_LIKE = /^[0-9a-fA-F-]{32,36}$/;

/** uuids anywhere in a JSON value, keys included, and project and user ids. */
function collectFromJson(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (UUID_LIKE.test(value)) into.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value as readonly unknown[]) collectFromJson(item, into);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (UUID_LIKE.test(key)) into.add(key);
    if ((key === 'project_id' || key === 'user_id') && typeof item === 'string') into.add(item);
    collectFromJson(item, into);
  }
}

/** The identifiers a request names that MariaDB stores and compares: uuids, provider names, project and user ids. */
export function storedIdentifiers(request: HttpRequest): ReadonlySet<string> {
  const identifiers = new Set<string>();
  const [path = '', query = ''] = request.path.split('?');
  for (const segment of path.split('/')) if (UUID_LIKE.test(segment)) identifiers.add(segment);
  for (const pair of query.split('&')) {
    const [name = '', value = ''] = pair.split('=');
    if (['project_id', 'user_id', 'name', 'uuid', 'in_tree'].includes(name) && value !== '') identifiers.add(decodeURIComponent(value));
  }
  const body = requestBody(request);
  collectFromJson(body, identifiers);
  if (/^\/resource_providers(\/[^/]+)?$/.test(path) && isRecord(body) && typeof body['name'] === 'string') identifiers.add(body['name']);
  return identifiers;
}

/** Identifiers of the requests that have another identifier equal to them but for case, lower-cased. */
function caseVariants(requests: readonly HttpRequest[]): ReadonlySet<string> {
  const byLowerCase = new Map<string, Set<string>>();
  for (const request of requests) {
    for (const identifier of storedIdentifiers(request)) {
      const spellings = byLowerCase.get(identifier.toLowerCase()) ?? new Set<string>();
      spellings.add(identifier);
      byLowerCase.set(identifier.toLowerCase(), spellings);
    }
  }
  return new Set([...byLowerCase].filter(([, spellings]) => spellings.size > 1).map(([lowerCase]) => lowerCase));
}

const PROVIDER = 'a0000000-0000-4000-8000-000000000001';

export const caseInsensitiveIdentifiersOnMariadb: Finding = {
  name: 'case-insensitive-identifiers-on-mariadb',
  kind: 'deploymentBehaviour',
  summary:
    'On MariaDB (utf8mb4_general_ci, Debian\'s default) stored identifiers compare case-insensitively: provider "RP-A" collides with "rp-a" (409), an upper-case provider or consumer uuid finds the lower-case one, "PROJ-A" is project "proj-a".',
  databases: ['mariadb'],
  demonstration: [
    placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'rp-a', uuid: PROVIDER } }),
    placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'RP-A', uuid: 'a0000000-0000-4000-8000-000000000002' } }),
  ],
  explains: (divergence) => {
    const last = divergence.steps[divergence.steps.length - 1];
    if (last === undefined) return false;
    const variants = caseVariants(divergence.steps.map((step) => step.request));
    if (variants.size === 0) return false;
    const involved = [...storedIdentifiers(last.request)].map((identifier) => identifier.toLowerCase());
    const differences = last.differences.map((difference) => `${difference.model} ${difference.real}`.toLowerCase()).join(' ');
    return [...variants].some((variant) => involved.includes(variant) || differences.includes(variant));
  },
};
