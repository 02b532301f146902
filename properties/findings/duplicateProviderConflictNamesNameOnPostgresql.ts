/**
 * Deployment behaviour: when a new provider repeats both the uuid and the
 * name of an existing one, the 409's detail names the unique constraint the
 * database reports first, and that depends on the database.
 *
 * Placement 8.0.0 builds the detail from the columns oslo.db extracts from
 * the integrity error (its own comment calls this "database dependent").
 * sqlite and MariaDB report the uuid constraint: "Conflicting resource
 * provider uuid: <uuid> already exists.", which the model gives. PostgreSQL
 * reports the name constraint: "... name: <name> already exists.". Status and
 * error code agree; only the detail's wording differs.
 */
import { placementRequest } from '../../model/index.ts';
import type { Finding } from '../findings.ts';
import { isRecord, requestBody } from './requestBody.ts';

const PROVIDER = 'a0000000-0000-4000-8000-000000000001';
const CREATE = placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'rp-a', uuid: PROVIDER } });

export const duplicateProviderConflictNamesNameOnPostgresql: Finding = {
  name: 'duplicate-provider-conflict-names-name-on-postgresql',
  kind: 'deploymentBehaviour',
  summary:
    'POST /resource_providers repeating both the uuid and the name of an existing provider gets 409 "Conflicting resource provider name: ..." on PostgreSQL, where sqlite and MariaDB (and the model) name the uuid.',
  databases: ['postgresql'],
  demonstration: [CREATE, CREATE],
  explains: (divergence) => {
    const last = divergence.steps[divergence.steps.length - 1];
    if (last === undefined) return false;
    const [path] = last.request.path.split('?');
    if (last.request.method !== 'POST' || path !== '/resource_providers') return false;
    const body = requestBody(last.request);
    if (!isRecord(body)) return false;
    const name = body['name'];
    if (typeof name !== 'string') return false;
    return (
      last.differences.length > 0 &&
      last.differences.every(
        (difference) =>
          // JSON errors differ in their detail; HTML or text errors (an Accept header) in the whole body.
          (difference.where === 'body $.errors[0].detail' || difference.where === 'body (text vs text)') &&
          // The model names the uuid in its canonical spelling, which may differ from the request's.
          difference.model.includes('Conflicting resource provider uuid: ') &&
          difference.model.includes(' already exists.') &&
          difference.real.includes(`Conflicting resource provider name: ${name} already exists.`),
      )
    );
  },
};
