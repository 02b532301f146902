/**
 * Law: a request that fails (status >= 400), and any read, leaves the data
 * exactly as it was; only the request counters may move.
 */
import { canonicalState } from '../canonicalState.ts';
import { succeeded, type StepLaw } from './stepLaw.ts';

export const failuresChangeNothing: StepLaw = {
  name: 'failed requests and reads change nothing but counters',
  check: (step) => {
    if (succeeded(step) && step.spec.kind !== 'read') return null;
    const before = canonicalState(step.before, { includeCounters: false });
    const after = canonicalState(step.after, { includeCounters: false });
    return before === after ? null : `state changed by a ${step.spec.kind === 'read' ? 'read' : 'failed request'}`;
  },
};
