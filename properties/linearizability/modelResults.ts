/**
 * The model's result for each (state, operation) pair the search asks about,
 * and whether it explains the operation's observed response, each computed
 * once.
 *
 * The search asks the same question many times: a level's look-ahead
 * (`openLevel.ts`) runs each candidate write and then each read after it,
 * and the level opened after placing that write asks for the same reads in
 * the very state the look-ahead produced; backtracking reopens levels whose
 * states were already explored. `handle` is a pure function of the state
 * and the request, so a stored result is the one a fresh call would give.
 *
 * States are keys by identity (the model returns new objects for every
 * step), so a hit needs no fingerprint. The store keeps every state it has
 * seen alive, so it is dropped whole after `resultsMax` entries, which keeps
 * memory bounded and changes no answer.
 *
 * Each operation's request is decoded once (`PreparedOperation.decoded`), and
 * answers keep refusals unrendered: the search only needs a refusal's status
 * and error code, which `answerExplains` reads without rendering.
 */
import { answer, type Answer } from '../../model/handle.ts';
import type { State } from '../../model/index.ts';
import type { PreparedOperation } from './preparedOperation.ts';
import { answerExplains } from './responseMatch.ts';

const RESULTS_MAX = 20_000;

export class ModelResults {
  private readonly operations: readonly PreparedOperation[];
  private readonly resultsMax: number;
  // A plain map: the store lives for one partition's search and is bounded, and
  // weak maps cost the collector more.
  private byState = new Map<State, StateResults>();
  private storedCount = 0;

  constructor(operations: readonly PreparedOperation[], resultsMax = RESULTS_MAX) {
    this.operations = operations;
    this.resultsMax = resultsMax;
  }

  /** What the model answers to operation `operationIndex` in `state`, and the state after. */
  of(state: State, operationIndex: number): Answer {
    return this.answerIn(this.resultsOf(state), state, operationIndex);
  }

  /**
   * Whether that answer explains the operation's observed response
   * (`answerExplains`; any answer explains an unknown outcome). Decided
   * once per pair too: a level's look-ahead asks it of the reads, and the
   * search asks it again of each candidate it tries there.
   */
  explains(state: State, operationIndex: number): boolean {
    const results = this.resultsOf(state);
    const known = results.verdicts[operationIndex];
    if (known !== undefined) return known;
    const observed = this.operations[operationIndex]?.observed ?? null;
    const answered = this.answerIn(results, state, operationIndex);
    const verdict = observed === null || answerExplains(answered, observed);
    // The answer may have wiped the store (a fresh record for `state` holds it then).
    (this.byState.get(state) ?? results).verdicts[operationIndex] = verdict;
    return verdict;
  }

  private resultsOf(state: State): StateResults {
    let results = this.byState.get(state);
    if (results === undefined) {
      results = { answers: new Array<Answer | undefined>(this.operations.length), verdicts: new Array<boolean | undefined>(this.operations.length) };
      this.byState.set(state, results);
    }
    return results;
  }

  private answerIn(results: StateResults, state: State, operationIndex: number): Answer {
    const known = results.answers[operationIndex];
    if (known !== undefined) return known;
    const prepared = this.operations[operationIndex];
    if (prepared === undefined) throw new Error(`no operation at index ${operationIndex}`);
    const computed = answer(state, prepared.decoded);
    let stored = results;
    if (this.storedCount >= this.resultsMax) {
      this.byState = new Map();
      this.storedCount = 0;
      stored = this.resultsOf(state);
    }
    stored.answers[operationIndex] = computed;
    this.storedCount += 1;
    return computed;
  }
}

/** The answers and verdicts known for one state, by operation index. */
interface StateResults {
  readonly answers: (Answer | undefined)[];
  readonly verdicts: (boolean | undefined)[];
}
