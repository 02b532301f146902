/**
 * Finding: an allocation write naming a provider that does not exist fails
 * with 400 but leaves the consumer it auto-created behind.
 */
import { placementRequest } from '../../model/index.ts';
import type { Finding } from '../findings.ts';
import { leftoverShowingIn } from './leftoverConsumers.ts';

const CONSUMER = 'c0000000-0000-4000-8000-000000000001';
const UNKNOWN_PROVIDER = 'a0000000-0000-4000-8000-0000000000ff';

function write(allocations: Record<string, unknown>) {
  return placementRequest('PUT', `/allocations/${CONSUMER}`, {
    microversion: '1.39',
    body: { allocations, consumer_generation: null, project_id: 'proj-a', user_id: 'user-a', consumer_type: 'INSTANCE' },
  });
}

export const unknownProviderLeavesConsumer: Finding = {
  name: 'unknown-provider-leaves-consumer',
  kind: 'serviceFault',
  summary:
    'PUT /allocations/{new consumer} or POST /allocations naming a provider that does not exist answers 400 but leaves the auto-created consumer (generation 0, no allocations), so the next write with consumer_generation null gets 409 "expected 0 but got None" (and a 1.38+ consumer type outlives a later write below 1.38).',
  databases: ['sqlite', 'mariadb', 'postgresql'],
  demonstration: [write({ [UNKNOWN_PROVIDER]: { resources: { VCPU: 1 } } }), write({})],
  explains: (divergence) => leftoverShowingIn(divergence.steps)?.cause === 'unknownProvider',
};
