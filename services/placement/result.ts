/**
 * Expected failures of the service scripts are returned as values, never
 * thrown, so callers (CLIs, tests, the simulator) decide how to report them.
 */

/** usage: bad arguments; setup: the machine cannot run the service; runtime: the running service misbehaved. */
export type FailureKind = 'usage' | 'setup' | 'runtime';

export interface Failure {
  readonly kind: FailureKind;
  readonly message: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: Failure };

export function succeed<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(kind: FailureKind, message: string): { readonly ok: false; readonly failure: Failure } {
  return { ok: false, failure: { kind, message } };
}

/** Exit code for command-line wrappers: 2 for usage and setup problems, 1 otherwise. */
export function exitCodeFor(failure: Failure): number {
  return failure.kind === 'runtime' ? 1 : 2;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
