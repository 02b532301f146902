/**
 * Replays a sequence twice and returns the first step at which the two
 * runs differ (request, status, headers, body or resulting state, counters
 * included), or `null` when they agree byte for byte.
 */
import { canonicalState } from './canonicalState.ts';
import { describeStep, replay, type ReplayOptions, type Step } from './replay.ts';
import type { RequestSpec } from './requestSpec.ts';

function fingerprint(step: Step): string {
  return JSON.stringify([
    step.request,
    step.response.status,
    Object.entries(step.response.headers).sort(),
    step.response.body,
    canonicalState(step.after, { includeCounters: true }),
  ]);
}

export function firstDivergence(specs: readonly RequestSpec[], options: ReplayOptions = {}): string | null {
  const first = replay(specs, options);
  const second = replay(specs, options);
  for (const [index, step] of first.entries()) {
    const other = second[index];
    if (other === undefined || fingerprint(step) !== fingerprint(other)) return describeStep(step);
  }
  return null;
}
