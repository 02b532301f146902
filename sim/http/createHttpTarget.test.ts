/**
 * The HTTP target against small local servers whose behaviour we control:
 * answers, keep-alive reuse, `Connection: close`, slow answers, refused
 * connections and connections cut mid-response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { placementRequest } from '../../model/index.ts';
import { createHttpTarget, parseBaseUrl, type HttpTarget } from './createHttpTarget.ts';

type Handler = (incoming: IncomingMessage, outgoing: ServerResponse, body: string) => void;

interface TestServer {
  readonly url: string;
  readonly connections: () => number;
  readonly close: () => Promise<void>;
}

const opened: (() => Promise<void>)[] = [];

async function serve(handler: Handler): Promise<TestServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => handler(incoming, outgoing, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  opened.push(close);
  return { url: `http://127.0.0.1:${port}`, connections: () => connections, close };
}

const targets: HttpTarget[] = [];
function target(url: string, timeoutMs = 2_000): HttpTarget {
  const created = createHttpTarget(url, { timeoutMs });
  targets.push(created);
  return created;
}

afterEach(async () => {
  for (const created of targets.splice(0)) created.close();
  for (const close of opened.splice(0)) await close();
});

const echo: Handler = (incoming, outgoing, body) => {
  outgoing.writeHead(201, { 'Content-Type': 'application/json', 'X-Extra': 'yes' });
  outgoing.end(JSON.stringify({ method: incoming.method, url: incoming.url, body, type: incoming.headers['content-type'] ?? null }));
};

describe('createHttpTarget', () => {
  it('sends method, path, headers and body, and records the response with lower-case headers', async () => {
    const server = await serve(echo);
    const request = placementRequest('POST', '/resource_providers?name=x', { microversion: '1.39', body: { name: 'x' } });
    const result = await target(server.url).send(request);
    expect(result.completion).toEqual({
      kind: 'response',
      response: {
        status: 201,
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-extra': 'yes' }) as unknown,
        body: JSON.stringify({ method: 'POST', url: '/resource_providers?name=x', body: '{"name":"x"}', type: 'application/json' }),
      },
    });
    expect(result.endedNs).toBeGreaterThanOrEqual(result.startedNs);
  });

  it('keeps a connection alive when the server allows it', async () => {
    const server = await serve(echo);
    const created = target(server.url);
    for (let index = 0; index < 5; index += 1) await created.send(placementRequest('GET', '/'));
    expect(server.connections()).toBe(1);
  });

  it('opens a new connection per request when the server answers Connection: close', async () => {
    const server = await serve((_incoming, outgoing) => {
      outgoing.writeHead(200, { Connection: 'close', 'Content-Type': 'text/plain' });
      outgoing.end('ok');
    });
    const created = target(server.url);
    for (let index = 0; index < 5; index += 1) {
      const result = await created.send(placementRequest('GET', '/'));
      expect(result.completion.kind).toBe('response');
    }
    expect(server.connections()).toBe(5);
  });

  it('reports a timeout as unknown, never as a response', async () => {
    const server = await serve((_incoming, outgoing) => {
      setTimeout(() => outgoing.end('late'), 500);
    });
    const result = await target(server.url, 100).send(placementRequest('PUT', '/x', { body: {} }));
    expect(result.completion).toEqual({ kind: 'unknown', reason: 'no complete response within 100 ms' });
  });

  it('waits for a slow answer that is still within the timeout, even past the idle-socket limit', async () => {
    const server = await serve((_incoming, outgoing) => {
      setTimeout(() => outgoing.end('late'), 1_300);
    });
    const result = await target(server.url, 3_000).send(placementRequest('GET', '/'));
    expect(result.completion).toEqual({ kind: 'response', response: expect.objectContaining({ status: 200, body: 'late' }) as unknown });
  });

  it('reports a refused connection as unknown', async () => {
    const server = await serve(echo);
    await server.close();
    const result = await target(server.url).send(placementRequest('DELETE', '/allocations/x'));
    expect(result.completion.kind).toBe('unknown');
    expect(result.completion.kind === 'unknown' ? result.completion.reason : '').toContain('ECONNREFUSED');
  });

  it('reports a response cut off before its announced length as unknown', async () => {
    const server = await serve((_incoming, outgoing) => {
      outgoing.writeHead(200, { 'Content-Length': '100' });
      outgoing.write('partial');
      setTimeout(() => outgoing.socket?.destroy(), 20);
    });
    const result = await target(server.url).send(placementRequest('GET', '/'));
    expect(result.completion.kind).toBe('unknown');
  });

  it('retries a read on a keep-alive socket the server closed, but reports a write there as unknown', async () => {
    // The server keeps the first connection open after answering, then
    // drops it without a word when the next request arrives on it.
    let served = 0;
    const server = await serve((incoming, outgoing) => {
      served += 1;
      if (served === 2) {
        incoming.socket.destroy();
        return;
      }
      outgoing.end('ok');
    });
    const reads = target(server.url);
    await reads.send(placementRequest('GET', '/'));
    const read = await reads.send(placementRequest('GET', '/'));
    expect(read.completion.kind).toBe('response');

    served = 0;
    const writes = target(server.url);
    await writes.send(placementRequest('GET', '/'));
    const write = await writes.send(placementRequest('POST', '/allocations', { body: {} }));
    expect(write.completion.kind).toBe('unknown');
  });

  it('refuses base URLs it cannot use', () => {
    expect(parseBaseUrl('http://127.0.0.1:8778/placement/')).toMatchObject({ pathPrefix: '/placement' });
    expect(parseBaseUrl('https://example.test')).toMatchObject({ kind: 'invalidBaseUrl' });
    expect(parseBaseUrl('nonsense')).toMatchObject({ kind: 'invalidBaseUrl' });
  });
});
