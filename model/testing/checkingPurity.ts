/**
 * Wraps a handler so that any change to its input state is reported: the
 * state's value is compared before and after the call. Combined with a
 * deep freeze of the input, this catches both writes freezing forbids and
 * changes it cannot see.
 */
import { canonicalState } from './canonicalState.ts';
import type { Handler } from './replay.ts';

export function checkingPurity(handler: Handler): Handler {
  return (state, request) => {
    const before = canonicalState(state, { includeCounters: true });
    const handled = handler(state, request);
    if (canonicalState(state, { includeCounters: true }) !== before) {
      throw new Error(`the input state changed during ${request.method} ${request.path}`);
    }
    return handled;
  };
}
