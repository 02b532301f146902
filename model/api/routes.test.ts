import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchRoute, ROUTES, type RouteMatch } from './routes.ts';

/** The route table matched the way Routes does it: `^template$`, each parameter `([^/]+)`. */
function matchByPattern(method: string, path: string): RouteMatch {
  for (const candidate of ROUTES) {
    const source = candidate.template.replace(/\{(\w+)\}/g, '([^/]+)');
    const match = new RegExp(`^${source}$`).exec(path);
    if (match === null) continue;
    const parameters: Record<string, string> = {};
    candidate.parameterNames.forEach((name, index) => {
      parameters[name] = match[index + 1] ?? '';
    });
    const endpoint = candidate.methods[method];
    if (endpoint === undefined) return { kind: 'methodNotAllowed', allow: Object.keys(candidate.methods).join(', ') };
    return { kind: 'endpoint', endpoint, parameters };
  }
  return { kind: 'notFound' };
}

const segment = fc.oneof(
  fc.constantFrom('', 'resource_providers', 'resource_classes', 'allocations', 'inventories', 'usages', 'traits', 'aggregates', 'VCPU', 'x\n', '{uuid}'),
  fc.uuid(),
  fc.string({ maxLength: 6 }),
);
const path = fc.oneof(
  fc.array(segment, { maxLength: 6 }).map((segments) => `/${segments.join('/')}`),
  fc.array(segment, { maxLength: 6 }).map((segments) => segments.join('/')),
  fc.constantFrom('', '/', '//', '/resource_providers/', '/allocations/a/'),
);

describe('matchRoute', () => {
  it('matches as the patterns of the route table do', () => {
    fc.assert(
      fc.property(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH'), path, (method, target) => {
        expect(matchRoute(method, target)).toEqual(matchByPattern(method, target));
      }),
      { numRuns: 5000 },
    );
  });
});
