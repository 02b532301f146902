/**
 * Finding: PUT /resource_providers/{uuid}/inventories validates inventory
 * records only under keys that match the resource class pattern
 * (`patternProperties`), so a record under a key such as `cows` reaches the
 * handler unchecked. Without a `total`, the capacity check subtracts from
 * None and the service answers 500 where a 400 was due.
 */
import { placementRequest, type HttpRequest } from '../../model/index.ts';
import type { Finding } from '../findings.ts';
import { isRecord, requestBody } from './requestBody.ts';

const PROVIDER = 'a0000000-0000-4000-8000-000000000001';
const RESOURCE_CLASS_PATTERN = /^[A-Z0-9_]+$/;
const RECORD_FIELDS: ReadonlySet<string> = new Set(['total', 'reserved', 'min_unit', 'max_unit', 'step_size', 'allocation_ratio']);
const INVENTORIES_PATH = /^\/resource_providers\/[^/?]+\/inventories$/;

/** What the skipped record schema would have refused: no integer total, or fields that are not integers. */
function failsRecordSchema(record: unknown): boolean {
  if (!isRecord(record) || !Number.isInteger(record['total'])) return true;
  return Object.entries(record).some(([field, value]) => !RECORD_FIELDS.has(field) || typeof value !== 'number');
}

function hasUncheckedBadRecord(request: HttpRequest): boolean {
  const parsed = requestBody(request);
  if (!isRecord(parsed) || !isRecord(parsed['inventories'])) return false;
  return Object.entries(parsed['inventories']).some(([resourceClass, record]) => !RESOURCE_CLASS_PATTERN.test(resourceClass) && failsRecordSchema(record));
}

export const unvalidatedInventoryRecordCrashes: Finding = {
  name: 'unvalidated-inventory-record-crashes',
  kind: 'serviceFault',
  summary:
    'PUT /resource_providers/{uuid}/inventories with a record under a key that is not a valid class name (e.g. "cows": {"min_unit": 1}) skips the record schema and answers 500 "unsupported operand type(s) for -: \'NoneType\' and \'int\'" instead of 400.',
  databases: ['sqlite', 'mariadb', 'postgresql'],
  demonstration: [
    placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'rp-a', uuid: PROVIDER } }),
    placementRequest('PUT', `/resource_providers/${PROVIDER}/inventories`, {
      microversion: '1.39',
      body: { resource_provider_generation: 0, inventories: { cows: { min_unit: 1 } } },
    }),
  ],
  explains: (divergence) => {
    const last = divergence.steps[divergence.steps.length - 1];
    if (last === undefined || last.real.kind !== 'response' || last.real.response.status !== 500) return false;
    return last.request.method === 'PUT' && INVENTORIES_PATH.test(last.request.path) && hasUncheckedBadRecord(last.request);
  },
};
