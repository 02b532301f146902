/**
 * Monotonic nanoseconds for measuring I/O: how long a request or a reset
 * took, how long a benchmark ran. Never part of anything that must replay.
 */
const originNs = process.hrtime.bigint();

/** Nanoseconds since this module was loaded. */
export function monotonicNs(): number {
  return Number(process.hrtime.bigint() - originNs);
}
