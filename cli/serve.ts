/**
 * `npm run serve -- [--port 8778] [--host 127.0.0.1]`: the model as a
 * Placement-compatible HTTP endpoint on loopback. Any client that speaks to
 * Placement with noauth2 can talk to it.
 */
import { startModelServer } from '../sim/modelServer.ts';
import { parseOptions, usageError } from './options.ts';

const USAGE = 'usage: npm run serve -- [--port 8778] [--host 127.0.0.1]';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { port: 'integer', host: 'string' }, USAGE);
  if (options.kind === 'error') return usageError(options.message, USAGE);
  const port = options.values.port ?? 8778;
  const host = options.values.host ?? '127.0.0.1';
  try {
    const server = await startModelServer({ port, host });
    process.stdout.write(`placement-sim model serving Placement 8.0.0 semantics at ${server.url}\n`);
    const stop = (): void => {
      void server.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    process.stderr.write(`cannot serve on ${host}:${port}: ${message}\n`);
    process.exit(2);
  }
}

void main();
