/**
 * Turning a command's outcome into a handler reply.
 */
import type { Outcome } from '../commands.ts';
import type { State } from '../state.ts';
import { fail, type Reply } from './context.ts';

export function fromOutcome(outcome: Outcome, onSuccess: (state: State, created: boolean) => Reply): Reply {
  switch (outcome.kind) {
    case 'ok':
      return onSuccess(outcome.state, outcome.created);
    case 'error':
      return fail(outcome.error);
    default:
      return assertNever(outcome);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
