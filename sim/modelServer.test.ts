/**
 * The served model over real HTTP: a whole client conversation, keep-alive
 * reuse, malformed and oversized bodies, and concurrent writes racing for
 * the same capacity (the server handles requests one at a time).
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startModelServer, type ModelServer } from './modelServer.ts';

const PROVIDER = 'aaaaaaaa-0000-4000-8000-000000000001';
const consumer = (index: number): string => `cccccccc-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the agent sent this request on a connection it had used before. */
  readonly reusedSocket: boolean;
  /** The client side port of the connection, which identifies it. */
  readonly localPort: number | undefined;
}

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly microversion?: string;
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

function send(server: ModelServer, agent: Agent, sent: Sent): Promise<Answer> {
  const headers: Record<string, string> = { 'x-auth-token': 'admin', accept: 'application/json' };
  if (sent.microversion !== undefined) headers['openstack-api-version'] = `placement ${sent.microversion}`;
  if (sent.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, sent.headers ?? {});
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${server.url}${sent.path}`, { method: sent.method, headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          reusedSocket: outgoing.reusedSocket,
          localPort: outgoing.socket?.localPort,
        }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(sent.body);
  });
}

function json(answer: Answer): unknown {
  return JSON.parse(answer.body) as unknown;
}

function allocationBody(amount: number, generation: number | null): string {
  return JSON.stringify({
    allocations: { [PROVIDER]: { resources: { VCPU: amount } } },
    project_id: 'p',
    user_id: 'u',
    consumer_generation: generation,
    consumer_type: 'INSTANCE',
  });
}

let server: ModelServer;
let agent: Agent;

beforeEach(async () => {
  server = await startModelServer({ port: 0, host: '127.0.0.1' });
  agent = new Agent({ keepAlive: true, maxSockets: 1 });
});

afterEach(async () => {
  agent.destroy();
  await server.close();
});

async function providerWithVcpu(total: number): Promise<void> {
  const created = await send(server, agent, { method: 'POST', path: '/resource_providers', microversion: '1.39', body: JSON.stringify({ name: 'one', uuid: PROVIDER }) });
  expect(created.status).toBe(200);
  const inventory = await send(server, agent, {
    method: 'PUT',
    path: `/resource_providers/${PROVIDER}/inventories`,
    microversion: '1.39',
    body: JSON.stringify({ resource_provider_generation: 0, inventories: { VCPU: { total } } }),
  });
  expect(inventory.status).toBe(200);
}

describe('the model served over HTTP', () => {
  it('answers a client conversation with the model\'s statuses, headers and bodies', async () => {
    const root = await send(server, agent, { method: 'GET', path: '/' });
    expect(root.status).toBe(200);
    expect(json(root)).toMatchObject({ versions: [{ max_version: '1.39', min_version: '1.0' }] });

    await providerWithVcpu(4);
    const allocated = await send(server, agent, { method: 'PUT', path: `/allocations/${consumer(1)}`, microversion: '1.39', body: allocationBody(3, null) });
    expect(allocated.status).toBe(204);
    expect(allocated.body).toBe('');
    expect(allocated.headers['content-type']).toBeUndefined();
    expect(allocated.headers['openstack-api-version']).toBe('placement 1.39');

    const refused = await send(server, agent, { method: 'PUT', path: `/allocations/${consumer(2)}`, microversion: '1.39', body: allocationBody(2, null) });
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toBe('application/json');
    expect(json(refused)).toMatchObject({ errors: [{ status: 409, code: 'placement.undefined_code' }] });

    const usages = await send(server, agent, { method: 'GET', path: `/resource_providers/${PROVIDER}/usages`, microversion: '1.39' });
    expect(usages.headers['cache-control']).toBe('no-cache');
    expect(usages.body).toBe('{"resource_provider_generation": 2, "usages": {"VCPU": 3}}');
    expect(server.state().providers.get(PROVIDER)?.usages.get('VCPU')).toBe(3);
  });

  it('serves a whole conversation on one kept-alive connection', async () => {
    await providerWithVcpu(4);
    const answers: Answer[] = [];
    for (let index = 0; index < 5; index += 1) {
      answers.push(await send(server, agent, { method: 'GET', path: `/resource_providers/${PROVIDER}`, microversion: '1.39' }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.every((answer) => answer.reusedSocket)).toBe(true);
    expect(new Set(answers.map((answer) => answer.localPort)).size).toBe(1);
  });

  it('answers a malformed body with 400 and keeps the connection usable', async () => {
    const first = await send(server, agent, { method: 'GET', path: '/resource_providers' });
    const malformed = await send(server, agent, { method: 'POST', path: '/resource_providers', microversion: '1.39', body: '{"name": "x",' });
    expect(malformed.status).toBe(400);
    expect((json(malformed) as { errors: { detail: string }[] }).errors[0]?.detail).toContain('Malformed JSON: Expecting property name enclosed in double quotes: line 1 column 14 (char 13)');
    const after = await send(server, agent, { method: 'GET', path: '/resource_providers' });
    expect(after.status).toBe(200);
    expect(after.localPort).toBe(first.localPort);
    expect(server.state().providers.size).toBe(0);
  });

  it('refuses a body over 16 MiB with 413 before the model sees it', async () => {
    const requestsBefore = server.state().counters.requests;
    const huge = Buffer.alloc(17 * 1024 * 1024, 0x20);
    const answer = await send(server, agent, { method: 'POST', path: '/resource_providers', microversion: '1.39', body: huge });
    expect(answer.status).toBe(413);
    expect(answer.body).toBe('request body too large\n');
    // The model never handled it: not even the request counter moved.
    expect(server.state().counters.requests).toBe(requestsBefore);
    const after = await send(server, agent, { method: 'GET', path: '/resource_providers' });
    expect(after.status).toBe(200);
  });

  it('hands a large but allowed body to the model, which applies the schema', async () => {
    const name = 'x'.repeat(256 * 1024);
    const answer = await send(server, agent, { method: 'POST', path: '/resource_providers', microversion: '1.39', body: JSON.stringify({ name }) });
    expect(answer.status).toBe(400);
    expect((json(answer) as { errors: { detail: string }[] }).errors[0]?.detail).toContain('is too long');
  });

  it('answers 415 for a wrong content type and 401 without a token', async () => {
    const wrongType = await send(server, agent, {
      method: 'POST',
      path: '/resource_providers',
      microversion: '1.39',
      body: '{"name": "x"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    const unauthenticated = await new Promise<number>((resolve, reject) => {
      const outgoing = httpRequest(`${server.url}/resource_providers`, { method: 'GET', agent }, (incoming) => {
        incoming.resume();
        incoming.on('end', () => resolve(incoming.statusCode ?? 0));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(unauthenticated).toBe(401);
  });

  it('serializes concurrent writes: of 15 consumers racing for 10 VCPU exactly 10 win', async () => {
    await providerWithVcpu(10);
    const racing = new Agent({ keepAlive: true, maxSockets: 15 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 15 }, (_unused, index) =>
          send(server, racing, { method: 'PUT', path: `/allocations/${consumer(index + 1)}`, microversion: '1.39', body: allocationBody(1, null) }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 204)).toHaveLength(10);
      expect(statuses.filter((status) => status === 409)).toHaveLength(5);
      const usages = await send(server, agent, { method: 'GET', path: `/resource_providers/${PROVIDER}/usages`, microversion: '1.39' });
      expect(json(usages)).toEqual({ resource_provider_generation: 11, usages: { VCPU: 10 } });
    } finally {
      racing.destroy();
    }
  });
});
