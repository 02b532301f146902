import { describe, expect, it } from 'vitest';
import { placementRequest } from '../../../model/index.ts';
import { Store } from '../../store/store.ts';
import { startPlacementRequest } from './dispatch.ts';

/** The status of a request that answers without a statement, or 'reached the database'. 501 means no route matched. */
function outcome(method: string, path: string): number | 'reached the database' {
  const { task } = startPlacementRequest({ store: new Store('snapshot'), defects: new Set() }, placementRequest(method, path, { microversion: '1.39' }), 'req-1', 1);
  const first = task.next();
  return first.done === true ? first.value.status : 'reached the database';
}

describe('startPlacementRequest routing', () => {
  it('routes exactly the paths the anchored route patterns match', () => {
    const routed: readonly (readonly [string, string])[] = [
      ['PUT', '/allocations/c'],
      ['DELETE', '/allocations/c'],
      ['GET', '/allocations/c'],
      ['GET', '/resource_providers/p'],
      ['DELETE', '/resource_providers/p'],
      ['PUT', '/resource_providers/p/inventories'],
      ['GET', '/resource_providers/p/inventories'],
      ['DELETE', '/resource_providers/p/inventories/VCPU'],
      ['GET', '/resource_providers/p/usages'],
      ['GET', '/resource_providers/p/allocations'],
    ];
    for (const [method, path] of routed) expect(outcome(method, path), `${method} ${path}`).not.toBe(501);
    const unrouted: readonly (readonly [string, string])[] = [
      ['GET', '/allocations'],
      ['PUT', '/allocations/'],
      ['PUT', '/allocations/c/'],
      ['PUT', '/allocations/c/x'],
      ['PATCH', '/allocations/c'],
      ['GET', '/resource_providers'],
      ['GET', '/resource_providers/'],
      ['GET', '/resource_providers//inventories'],
      ['PUT', '/resource_providers/p/inventories/'],
      ['DELETE', '/resource_providers/p/inventories/VCPU/x'],
      ['PUT', '/resource_providers/p/usages'],
      ['GET', '/resource_providers/p/traits'],
      ['GET', '/'],
      ['GET', '//allocations/c'],
    ];
    for (const [method, path] of unrouted) expect(outcome(method, path), `${method} ${path}`).toBe(501);
  });
});
