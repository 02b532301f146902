/**
 * The linearizability checker's public surface: check a history, read and
 * describe history files, render verdicts, measure.
 */
export {
  checkLinearizability,
  DEFAULT_STATES_MAX,
  DEFAULT_TIME_LIMIT_MS,
  type CheckStatistics,
  type LinearizabilityOptions,
  type LinearizabilityResult,
} from './checkLinearizability.ts';
export { HISTORY_FILE_FORMAT, initialStateOf, parseHistoryFile, validateHistoryFile, type HistoryFile, type HistoryFileParse } from './historyFile.ts';
export { renderLinearizabilityResult, renderStatistics } from './renderLinearizabilityResult.ts';
export { renderWitness } from './renderWitness.ts';
export { renderTimeline } from './renderTimeline.ts';
export type { Candidate, CandidateOutcome, Witness } from './witness.ts';
export type { BudgetExhausted } from './searchBudget.ts';
export { compareResponses, prepareObservedResponse, type ResponseDifference } from './responseMatch.ts';
export { benchmarkLinearizability, renderBenchmark, DEFAULT_BENCHMARK_CASES, type BenchmarkCase, type BenchmarkRow } from './benchmark.ts';
