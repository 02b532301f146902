/**
 * One root seed for the model's property tests. A failure prints the seed
 * and the shrink path; rerun with PLACEMENT_SIM_SEED=<seed> to replay it.
 */
import type fc from 'fast-check';

const DEFAULT_SEED = 20_260_521;

export function propertySeed(): number {
  const fromEnvironment = process.env['PLACEMENT_SIM_SEED'];
  if (fromEnvironment === undefined || fromEnvironment === '') return DEFAULT_SEED;
  const seed = Number(fromEnvironment);
  if (!Number.isInteger(seed)) throw new Error(`PLACEMENT_SIM_SEED must be an integer, got ${fromEnvironment}`);
  return seed;
}

export function propertyParameters<T>(numRuns: number): fc.Parameters<T> {
  return { seed: propertySeed(), numRuns, endOnFailure: false };
}
