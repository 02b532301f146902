/**
 * Finding: an allocation write that gives a new consumer empty allocations
 * succeeds and leaves the consumer behind.
 */
import { placementRequest } from '../../model/index.ts';
import type { Finding } from '../findings.ts';
import { leftoverShowingIn } from './leftoverConsumers.ts';

const CONSUMER = 'c0000000-0000-4000-8000-000000000001';

const clearNewConsumer = placementRequest('PUT', `/allocations/${CONSUMER}`, {
  microversion: '1.39',
  body: { allocations: {}, consumer_generation: null, project_id: 'proj-a', user_id: 'user-a', consumer_type: 'INSTANCE' },
});

export const emptyAllocationsCreateConsumer: Finding = {
  name: 'empty-allocations-create-consumer',
  kind: 'serviceFault',
  summary:
    'PUT /allocations/{new consumer} with {"allocations": {}} (1.28+), or a POST /allocations entry like it, answers 204 but leaves a consumer with generation 0 and no allocations, so the next write with consumer_generation null gets 409 "expected 0 but got None" (and a 1.38+ consumer type outlives a later write below 1.38).',
  databases: ['sqlite', 'mariadb', 'postgresql'],
  demonstration: [clearNewConsumer, clearNewConsumer],
  explains: (divergence) => leftoverShowingIn(divergence.steps)?.cause === 'emptyAllocations',
};
