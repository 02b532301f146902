/**
 * The model behind a real HTTP server: each request is handled by the pure
 * model against the current state, one at a time, in arrival order.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { emptyState, handle, type HttpRequest, type State } from '../model/index.ts';

/** Larger bodies are refused before they reach the model. */
const BODY_BYTES_MAX = 16 * 1024 * 1024;

export interface ModelServer {
  readonly url: string;
  readonly port: number;
  /** The state after every request handled so far. */
  state(): State;
  close(): Promise<void>;
}

export interface ModelServerOptions {
  readonly port: number;
  readonly host: string;
  readonly initialState?: State;
}

export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  let state = options.initialState ?? emptyState();
  const server = createServer((incoming, outgoing) => {
    readBody(incoming)
      .then((body) => {
        if (body === null) {
          outgoing.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large\n');
          return;
        }
        const request = toModelRequest(incoming, body);
        const handled = handle(state, request);
        state = handled.state;
        send(outgoing, handled.response.status, handled.response.headers, handled.response.body);
      })
      .catch((failure: unknown) => {
        send(outgoing, 500, { 'content-type': 'text/plain' }, `placement-sim model server error: ${String(failure)}\n`);
      });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, 511, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    state: () => state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(incoming: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_BYTES_MAX) tooLarge = true;
      else chunks.push(chunk);
    });
    incoming.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

function toModelRequest(incoming: IncomingMessage, body: string): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const hasBody = body.length > 0 || headers['content-length'] !== undefined;
  return { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers, body: hasBody ? body : null };
}

function send(outgoing: ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: string): void {
  const buffer = Buffer.from(body, 'utf8');
  outgoing.writeHead(status, { ...headers, 'content-length': String(buffer.length) });
  outgoing.end(buffer);
}
