/** Argument parsing and exit handling shared by up.ts, down.ts and reset.ts. */
import { parseArgs } from 'node:util';
import { databaseKinds, type DatabaseKind } from './packages.ts';
import { errorMessage, exitCodeFor, fail, succeed, type Failure, type Result } from './result.ts';

export interface CommandLine {
  readonly port?: number;
  readonly database?: DatabaseKind;
  readonly workers?: number;
  readonly stateDirectory?: string;
  readonly listenBacklog?: number;
  readonly requestLog: boolean;
  readonly help: boolean;
}

export type OptionName = 'port' | 'db' | 'workers' | 'state-dir' | 'listen' | 'request-log';

const optionTypes = {
  port: { type: 'string' },
  db: { type: 'string' },
  workers: { type: 'string' },
  'state-dir': { type: 'string' },
  listen: { type: 'string' },
  'request-log': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseInteger(name: string, text: string | undefined): Result<number | undefined> {
  if (text === undefined) return succeed(undefined);
  return /^\d+$/.test(text) ? succeed(Number.parseInt(text, 10)) : fail('usage', `--${name} needs a whole number, got "${text}"`);
}

function parseDatabase(text: string | undefined): Result<DatabaseKind | undefined> {
  if (text === undefined) return succeed(undefined);
  const kind = databaseKinds.find((candidate) => candidate === text);
  return kind === undefined ? fail('usage', `--db must be one of ${databaseKinds.join(', ')}, got "${text}"`) : succeed(kind);
}

/** Parses the arguments, accepting only the options the calling script lists. */
export function parseCommandLine(commandArguments: readonly string[], allowed: readonly OptionName[]): Result<CommandLine> {
  let values: { [name: string]: string | boolean | undefined };
  try {
    values = parseArgs({ args: [...commandArguments], options: optionTypes, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return fail('usage', errorMessage(error));
  }
  const unexpected = Object.keys(values).find((name) => name !== 'help' && !allowed.some((option) => option === name));
  if (unexpected !== undefined) return fail('usage', `option --${unexpected} is not accepted here`);
  const text = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const port = parseInteger('port', text('port'));
  const workers = parseInteger('workers', text('workers'));
  const listenBacklog = parseInteger('listen', text('listen'));
  const database = parseDatabase(text('db'));
  for (const parsed of [port, workers, listenBacklog, database]) if (!parsed.ok) return parsed;
  const stateDirectory = text('state-dir');
  return succeed({
    ...(port.ok && port.value !== undefined ? { port: port.value } : {}),
    ...(workers.ok && workers.value !== undefined ? { workers: workers.value } : {}),
    ...(listenBacklog.ok && listenBacklog.value !== undefined ? { listenBacklog: listenBacklog.value } : {}),
    ...(database.ok && database.value !== undefined ? { database: database.value } : {}),
    ...(stateDirectory !== undefined ? { stateDirectory } : {}),
    requestLog: values['request-log'] === true,
    help: values['help'] === true,
  });
}

const scriptStartedAt = performance.now();

/** Progress goes to stderr, stamped with the time since start, so stdout carries only results (the URL for up). */
export function progress(line: string): void {
  const seconds = ((performance.now() - scriptStartedAt) / 1000).toFixed(2);
  process.stderr.write(`placement [${seconds} s]: ${line}\n`);
}

export function exitWithFailure(failure: Failure, usage: string): never {
  process.stderr.write(`placement: ${failure.message}\n`);
  if (failure.kind === 'usage') process.stderr.write(`${usage}\n`);
  process.exit(exitCodeFor(failure));
}
