/**
 * A law over one step of a replay: `null` when it holds, otherwise a
 * sentence saying what went wrong. Violations are values; the property
 * test turns them into failures with the step that broke the law.
 */
import type { Step } from '../replay.ts';

export interface StepLaw {
  readonly name: string;
  check(step: Step): string | null;
}

export function succeeded(step: Step): boolean {
  return step.response.status < 400;
}
