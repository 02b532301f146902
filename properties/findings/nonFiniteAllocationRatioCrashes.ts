/**
 * Finding: an inventory write with `allocation_ratio` NaN or -Infinity
 * (Python's json reads both literals, and the schema's `maximum` stops only
 * +Infinity: NaN compares false) reaches the capacity check, whose int()
 * raises: 500 "cannot convert float NaN to integer" instead of a 400.
 */
import { placementRequest } from '../../model/index.ts';
import type { Finding } from '../findings.ts';

const PROVIDER = 'a0000000-0000-4000-8000-000000000001';
const INVENTORY_PATH = /^\/resource_providers\/[^/?]+\/inventories(\/[^/?]+)?$/;
const NON_FINITE_RATIO = /"allocation_ratio"\s*:\s*(NaN|-Infinity)/;

export const nonFiniteAllocationRatioCrashes: Finding = {
  name: 'non-finite-allocation-ratio-crashes',
  kind: 'serviceFault',
  summary:
    'POST or PUT of an inventory with "allocation_ratio": NaN or -Infinity (valid to Python\'s json and, for NaN, to the schema\'s maximum) answers 500 "cannot convert float NaN to integer" (or "infinity") instead of 400.',
  databases: ['sqlite', 'mariadb', 'postgresql'],
  demonstration: [
    placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'rp-a', uuid: PROVIDER } }),
    placementRequest('POST', `/resource_providers/${PROVIDER}/inventories`, {
      microversion: '1.39',
      body: '{"resource_class": "VCPU", "total": 4, "allocation_ratio": NaN}',
    }),
  ],
  explains: (divergence) => {
    const last = divergence.steps[divergence.steps.length - 1];
    if (last === undefined || last.real.kind !== 'response') return false;
    const response = last.real.response;
    if (response.status !== 500 || !/cannot convert float (NaN|infinity) to integer/.test(response.body)) return false;
    const isWrite = last.request.method === 'POST' || last.request.method === 'PUT';
    return isWrite && INVENTORY_PATH.test(last.request.path.split('?')[0] ?? '') && NON_FINITE_RATIO.test(last.request.body ?? '');
  },
};
