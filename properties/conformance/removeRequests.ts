/**
 * The last shrinking pass: delete whole requests from a failing sequence,
 * in chunks of halving size (as delta debugging does), keeping a deletion
 * whenever the shorter sequence still shows the same mismatch.
 *
 * fast-check's array shrinking removes requests from the front and shrinks
 * values inside them, but cannot continue from a sequence it did not
 * generate; this pass works on whatever the first pass left, within the
 * run budget that remains. Deterministic: the same input and service give
 * the same result.
 */
import type { RequestPlan } from './action.ts';
import { mismatchSignature } from './mismatchSignature.ts';
import { runPlannedSequence, type RunContext, type SequenceRun } from './runSequence.ts';

export interface Removal {
  readonly plans: readonly RequestPlan[];
  readonly run: SequenceRun;
  readonly runs: number;
}

export async function removeRequests(
  start: { readonly plans: readonly RequestPlan[]; readonly run: SequenceRun },
  signature: string,
  context: RunContext,
  runsMax: number,
): Promise<Removal> {
  let current = start;
  let runs = 0;
  for (let chunk = Math.max(1, Math.floor(current.plans.length / 2)); chunk >= 1 && runs < runsMax; chunk = Math.floor(chunk / 2)) {
    let at = 0;
    while (at < current.plans.length && runs < runsMax) {
      const candidate = [...current.plans.slice(0, at), ...current.plans.slice(at + chunk)];
      if (candidate.length === 0) break;
      runs += 1;
      const run = await runPlannedSequence(candidate, context);
      if (mismatchSignature(run) === signature) {
        // Requests after the difference were never sent; drop them too.
        current = { plans: candidate.slice(0, run.steps.length), run };
      } else {
        at += chunk;
      }
    }
  }
  return { plans: current.plans, run: current.run, runs };
}
