/**
 * Evidence that resetPlacement really returns a service to the state of a
 * freshly started one: the same request sequence gives the same responses
 * and leaves the same rows with the same ids, before and after a reset, and
 * every worker process stops seeing deleted custom resource classes.
 */
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { runRequired } from './commands.ts';
import { errorMessage, fail, succeed, type Result } from './result.ts';
import { resetPlacementAt, workerHeader, type PlacementService, type ResetReport } from './service.ts';

const headers = {
  'x-auth-token': 'admin',
  accept: 'application/json',
};

const provider = {
  root: 'aaaaaaaa-0000-4000-8000-000000000001',
  child: 'aaaaaaaa-0000-4000-8000-000000000002',
  sharing: 'aaaaaaaa-0000-4000-8000-000000000003',
};
const aggregate = 'bbbbbbbb-0000-4000-8000-000000000001';
const consumer = { instance: 'cccccccc-0000-4000-8000-000000000001', migration: 'cccccccc-0000-4000-8000-000000000002' };
const project = 'dddddddd-0000-4000-8000-000000000001';
const user = 'eeeeeeee-0000-4000-8000-000000000001';

export const customResourceClass = 'CUSTOM_SIM_GPU';
const customTrait = 'CUSTOM_SIM_FAST';

interface ScenarioStep {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly expectedStatus: number;
  /** Defaults to the newest, 1.39. */
  readonly microversion?: string;
}

/** Writes to every table the reset empties. */
const populatingSteps: readonly ScenarioStep[] = [
  { method: 'PUT', path: `/resource_classes/${customResourceClass}`, expectedStatus: 201 },
  { method: 'PUT', path: `/traits/${customTrait}`, expectedStatus: 201 },
  { method: 'POST', path: '/resource_providers', body: { uuid: provider.root, name: 'sim-root' }, expectedStatus: 200 },
  { method: 'POST', path: '/resource_providers', body: { uuid: provider.child, name: 'sim-child', parent_provider_uuid: provider.root }, expectedStatus: 200 },
  { method: 'POST', path: '/resource_providers', body: { uuid: provider.sharing, name: 'sim-sharing' }, expectedStatus: 200 },
  {
    method: 'PUT',
    path: `/resource_providers/${provider.root}/inventories`,
    body: { resource_provider_generation: 0, inventories: { VCPU: { total: 8 }, MEMORY_MB: { total: 4096, max_unit: 2048 } } },
    expectedStatus: 200,
  },
  {
    method: 'PUT',
    path: `/resource_providers/${provider.child}/inventories`,
    body: { resource_provider_generation: 0, inventories: { [customResourceClass]: { total: 2 } } },
    expectedStatus: 200,
  },
  {
    method: 'PUT',
    path: `/resource_providers/${provider.sharing}/inventories`,
    body: { resource_provider_generation: 0, inventories: { DISK_GB: { total: 100 } } },
    expectedStatus: 200,
  },
  {
    method: 'PUT',
    path: `/resource_providers/${provider.root}/traits`,
    body: { resource_provider_generation: 1, traits: [customTrait, 'HW_CPU_X86_AVX2'] },
    expectedStatus: 200,
  },
  {
    method: 'PUT',
    path: `/resource_providers/${provider.root}/aggregates`,
    body: { resource_provider_generation: 2, aggregates: [aggregate] },
    expectedStatus: 200,
  },
  {
    method: 'PUT',
    path: `/resource_providers/${provider.sharing}/aggregates`,
    body: { resource_provider_generation: 1, aggregates: [aggregate] },
    expectedStatus: 200,
  },
  {
    method: 'PUT',
    path: `/resource_providers/${provider.sharing}/traits`,
    body: { resource_provider_generation: 2, traits: ['MISC_SHARES_VIA_AGGREGATE'] },
    expectedStatus: 200,
  },
  {
    method: 'PUT',
    path: `/allocations/${consumer.instance}`,
    body: {
      allocations: {
        [provider.root]: { resources: { VCPU: 2, MEMORY_MB: 512 } },
        [provider.child]: { resources: { [customResourceClass]: 1 } },
      },
      project_id: project,
      user_id: user,
      consumer_generation: null,
      consumer_type: 'INSTANCE',
    },
    expectedStatus: 204,
  },
  {
    method: 'POST',
    path: '/allocations',
    body: {
      [consumer.migration]: {
        allocations: { [provider.sharing]: { resources: { DISK_GB: 10 } } },
        project_id: project,
        user_id: user,
        consumer_generation: null,
        consumer_type: 'MIGRATION',
      },
    },
    expectedStatus: 204,
  },
];

/** Reads back through listing endpoints whose order depends on ids, plus a conflict and deletions. */
const checkingSteps: readonly ScenarioStep[] = [
  // Stale generation: must conflict the same way every time.
  {
    method: 'PUT',
    path: `/resource_providers/${provider.root}/inventories`,
    body: { resource_provider_generation: 0, inventories: { VCPU: { total: 4 } } },
    expectedStatus: 409,
  },
  { method: 'GET', path: '/resource_providers', expectedStatus: 200 },
  { method: 'GET', path: `/resource_providers?in_tree=${provider.child}`, expectedStatus: 200 },
  { method: 'GET', path: `/resource_providers/${provider.root}/usages`, expectedStatus: 200 },
  // From 1.38 on, GET /usages answers 500 on PostgreSQL in Placement 8.0.0
  // (a GROUP BY that only MySQL and SQLite accept), so stay below it.
  { method: 'GET', path: `/usages?project_id=${project}`, expectedStatus: 200, microversion: '1.37' },
  { method: 'GET', path: `/allocations/${consumer.instance}`, expectedStatus: 200 },
  { method: 'GET', path: `/resource_providers/${provider.sharing}/allocations`, expectedStatus: 200 },
  { method: 'GET', path: `/allocation_candidates?resources=VCPU:1,DISK_GB:5&required=${customTrait}`, expectedStatus: 200 },
  {
    method: 'GET',
    path: `/allocation_candidates?resources=VCPU:1&resources1=${customResourceClass}:1&group_policy=none`,
    expectedStatus: 200,
  },
  { method: 'GET', path: '/resource_classes', expectedStatus: 200 },
  { method: 'GET', path: '/traits', expectedStatus: 200 },
  { method: 'DELETE', path: `/allocations/${consumer.migration}`, expectedStatus: 204 },
  { method: 'DELETE', path: `/resource_providers/${provider.sharing}`, expectedStatus: 204 },
  { method: 'GET', path: '/resource_providers', expectedStatus: 200 },
];

const scenario: readonly ScenarioStep[] = [...populatingSteps, ...checkingSteps];

export interface RecordedResponse {
  readonly request: string;
  readonly status: number;
  readonly body: unknown;
}

interface PlainResponse {
  readonly status: number;
  readonly worker: string | null;
  readonly body: unknown;
}

async function send(url: string, method: string, path: string, body?: unknown, microversion = '1.39'): Promise<PlainResponse> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...headers,
      'openstack-api-version': `placement ${microversion}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, worker: response.headers.get(workerHeader), body: text === '' ? null : withoutRequestIds(JSON.parse(text)) };
}

/** Error bodies carry a random request id; everything else must match exactly. */
function withoutRequestIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequestIds);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'request_id').map(([key, inner]) => [key, withoutRequestIds(inner)]));
}

/** Runs steps in order; an unexpected status is a failure, since the comparison would then be meaningless. */
async function runSteps(url: string, steps: readonly ScenarioStep[]): Promise<Result<readonly RecordedResponse[]>> {
  const recorded: RecordedResponse[] = [];
  try {
    for (const step of steps) {
      const response = await send(url, step.method, step.path, step.body, step.microversion);
      const request = `${step.method} ${step.path}`;
      if (response.status !== step.expectedStatus) {
        return fail('runtime', `${request} answered ${response.status} instead of ${step.expectedStatus}: ${JSON.stringify(response.body)}`);
      }
      recorded.push({ request, status: response.status, body: response.body });
    }
    return succeed(recorded);
  } catch (error) {
    return fail('runtime', `scenario against ${url} failed: ${errorMessage(error)}`);
  }
}

/** The whole scenario: populate every table, then read it back. */
export function runScenario(url: string): Promise<Result<readonly RecordedResponse[]>> {
  return runSteps(url, scenario);
}

/** Only the writes of the scenario (14 requests), to give a reset realistic work; expects an empty service. */
export function populate(url: string): Promise<Result<readonly RecordedResponse[]>> {
  return runSteps(url, populatingSteps);
}

export type DatabaseDump = Readonly<Record<string, readonly (readonly unknown[])[]>>;

/** All tables with ids, through Placement's own SQLAlchemy and the service's connection URL. */
export async function dumpDatabase(stateDirectory: string): Promise<Result<DatabaseDump>> {
  const script = fileURLToPath(new URL('./dump_database.py', import.meta.url));
  const outcome = await runRequired('python3', [script, stateDirectory], {}, 'runtime');
  if (!outcome.ok) return outcome;
  try {
    const parsed: unknown = JSON.parse(outcome.value.stdout);
    return typeof parsed === 'object' && parsed !== null ? succeed(parsed as DatabaseDump) : fail('runtime', 'database dump is not an object');
  } catch (error) {
    return fail('runtime', `unreadable database dump: ${errorMessage(error)}`);
  }
}

/** A short description of where two JSON-like values first differ, or undefined when equal. */
export function firstDifference(left: unknown, right: unknown, path = '$'): string | undefined {
  if (isDeepStrictEqual(left, right)) return undefined;
  if (typeof left === 'object' && left !== null && typeof right === 'object' && right !== null && Array.isArray(left) === Array.isArray(right)) {
    const leftEntries = left as Record<string, unknown>;
    const rightEntries = right as Record<string, unknown>;
    const keys = new Set([...Object.keys(leftEntries), ...Object.keys(rightEntries)]);
    for (const key of keys) {
      const difference = firstDifference(leftEntries[key], rightEntries[key], `${path}.${key}`);
      if (difference !== undefined) return difference;
    }
  }
  return `${path}: ${JSON.stringify(left)?.slice(0, 300)} versus ${JSON.stringify(right)?.slice(0, 300)}`;
}

export interface WorkerProbe {
  readonly workersSeen: number;
  readonly requests: number;
}

/**
 * Sends concurrent bursts of the same GET until every worker process has
 * answered it, and fails on the first answer with another status. Each
 * worker is a separate process, so a stale per-process cache would show here.
 */
export async function probeAllWorkers(url: string, path: string, expectedStatus: number, workers: number): Promise<Result<WorkerProbe>> {
  const seen = new Set<string>();
  let requests = 0;
  for (let burst = 0; burst < 50 && seen.size < workers; burst += 1) {
    const responses = await Promise.all(Array.from({ length: workers * 3 }, () => send(url, 'GET', path)));
    for (const response of responses) {
      requests += 1;
      if (response.worker !== null) seen.add(response.worker);
      if (response.status !== expectedStatus) {
        return fail('runtime', `worker ${String(response.worker)} answered GET ${path} with ${response.status} instead of ${expectedStatus}`);
      }
    }
  }
  if (seen.size < workers) return fail('runtime', `only ${seen.size} of ${workers} workers answered GET ${path} in ${requests} requests`);
  return succeed({ workersSeen: seen.size, requests });
}

export interface ResetEquivalenceReport {
  readonly reset: ResetReport;
  readonly workersProbed: number;
  readonly scenarioRequests: number;
}

function compare(label: string, before: unknown, after: unknown): Result<void> {
  const difference = firstDifference(before, after);
  return difference === undefined ? succeed(undefined) : fail('runtime', `${label} differ after reset at ${difference}`);
}

/**
 * Runs the scenario, resets, checks every worker no longer knows the custom
 * resource class, and runs the scenario again: database contents (with ids)
 * and responses must match the first run. With `fresh` the first run starts
 * from the just-started service, so "after reset" is compared with "new
 * database"; otherwise the service is reset first.
 */
export async function checkResetEquivalence(service: PlacementService, fresh: boolean): Promise<Result<ResetEquivalenceReport>> {
  if (!fresh) {
    const initialReset = await resetPlacementAt(service.url);
    if (!initialReset.ok) return initialReset;
  }
  const emptyBefore = await dumpDatabase(service.stateDirectory);
  if (!emptyBefore.ok) return emptyBefore;
  const firstRun = await runScenario(service.url);
  if (!firstRun.ok) return firstRun;
  const filledBefore = await dumpDatabase(service.stateDirectory);
  if (!filledBefore.ok) return filledBefore;
  const knownEverywhere = await probeAllWorkers(service.url, `/resource_classes/${customResourceClass}`, 200, service.workers);
  if (!knownEverywhere.ok) return knownEverywhere;

  const reset = await resetPlacementAt(service.url);
  if (!reset.ok) return reset;

  const goneEverywhere = await probeAllWorkers(service.url, `/resource_classes/${customResourceClass}`, 404, service.workers);
  if (!goneEverywhere.ok) return goneEverywhere;
  const emptyAfter = await dumpDatabase(service.stateDirectory);
  if (!emptyAfter.ok) return emptyAfter;
  const emptyComparison = compare('empty database contents', emptyBefore.value, emptyAfter.value);
  if (!emptyComparison.ok) return emptyComparison;

  const secondRun = await runScenario(service.url);
  if (!secondRun.ok) return secondRun;
  const responseComparison = compare('scenario responses', firstRun.value, secondRun.value);
  if (!responseComparison.ok) return responseComparison;
  const filledAfter = await dumpDatabase(service.stateDirectory);
  if (!filledAfter.ok) return filledAfter;
  const filledComparison = compare('database contents after the scenario', filledBefore.value, filledAfter.value);
  if (!filledComparison.ok) return filledComparison;

  return succeed({ reset: reset.value, workersProbed: goneEverywhere.value.workersSeen, scenarioRequests: firstRun.value.length });
}
