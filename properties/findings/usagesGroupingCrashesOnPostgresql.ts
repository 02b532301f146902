/**
 * Finding (PostgreSQL): from microversion 1.38, GET /usages without a
 * consumer_type, or with a named one, answers 500 on PostgreSQL, even on an
 * empty service.
 *
 * Placement 8.0.0 first counts consumers per consumer type with a query that
 * selects `allocations.resource_class_id` but groups only by the consumer
 * type's name. sqlite and MariaDB (without ONLY_FULL_GROUP_BY) accept that
 * and pick an arbitrary row's value, which the code never reads; PostgreSQL
 * refuses it ("GroupingError: column allocations.resource_class_id must
 * appear in the GROUP BY clause"). `consumer_type=all` and `unknown` take
 * another query and work. The model answers the documented 200.
 */
import { placementRequest } from '../../model/index.ts';
import type { Finding } from '../findings.ts';

const VERSION = /^placement 1\.(\d+)$/;

export const usagesGroupingCrashesOnPostgresql: Finding = {
  name: 'usages-grouping-crashes-on-postgresql',
  kind: 'serviceFault',
  summary:
    'From 1.38, GET /usages?project_id=... (no consumer_type, or a named one) answers 500 GroupingError on PostgreSQL: the consumer count query selects a column it does not group by.',
  databases: ['postgresql'],
  demonstration: [placementRequest('GET', '/usages?project_id=proj-a', { microversion: '1.38' })],
  explains: (divergence) => {
    const last = divergence.steps[divergence.steps.length - 1];
    if (last === undefined || last.real.kind !== 'response') return false;
    const response = last.real.response;
    if (response.status !== 500 || !response.body.includes('GroupingError')) return false;
    const [path = '', query = ''] = last.request.path.split('?');
    if (last.request.method !== 'GET' || path !== '/usages' || last.model.status !== 200) return false;
    const minor = VERSION.exec(last.model.headers['openstack-api-version'] ?? '')?.[1];
    if (minor === undefined || Number(minor) < 38) return false;
    const consumerType = new URLSearchParams(query).get('consumer_type');
    return consumerType !== 'all' && consumerType !== 'unknown';
  },
};
