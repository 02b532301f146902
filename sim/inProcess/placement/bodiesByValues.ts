/**
 * Response bodies remembered by the values they are made of.
 *
 * A successful response's body is a document built from a few rows (a
 * provider's generation, its inventories, the allocations on it) and
 * rendered with `json.dumps`. Programs name their providers and consumers by
 * role, so the same documents recur run after run, and rendering them (and
 * deriving what JSON.parse gives for them) costs far more than finding them
 * again by the values that determine them.
 *
 * A body is found by the sequence of values its handler feeds in, one at a
 * time: `begin`, then `add` each value, then `found`, or `keep` the body
 * rendered after a miss. Each memo serves one kind of document, whose
 * handler feeds, in a fixed order, every value the document depends on
 * (including the microversion's choices), so that equal sequences (by
 * `Object.is`, which tells -0 from 0 as a float's text does) mean equal
 * documents. A memo of a pure function, bounded by wiping; the bodies are
 * read-only, so one serves every response that carries it.
 *
 * The values are kept in a reused list as they are fed, and summed into a
 * number as they go (a string by its length and a few of its characters);
 * the bodies are kept by that number, each with its values, which a lookup
 * compares with the list. One lookup by a small number in one map, met by
 * every lookup, costs less than a lookup per value in a tree of maps, whose
 * deeper nodes are seldom in the processor's caches; and building and
 * hashing a text key of the values costs more than summing them.
 */
import { renderBody, type RenderedBody } from '../../responseBody.ts';
import type { PythonValue } from '../../../model/pythonRepr.ts';

/** What a document's values are fed as. */
export type BodyKey = string | number | boolean | null;

interface Kept {
  readonly values: readonly BodyKey[];
  readonly body: RenderedBody;
}

const BODIES_MAX = 4_096;

export class BodiesByValues {
  private byHash = new Map<number, Kept[]>();
  private count = 0;
  /** The values fed since `begin`: the first `length`. One lookup at a time: a handler feeds its values and reads or keeps its body without a step between. */
  private readonly values: BodyKey[] = [];
  private length = 0;
  private hash = 0;

  begin(): void {
    this.length = 0;
    this.hash = 0;
  }

  add(value: BodyKey): void {
    this.values[this.length] = value;
    this.length += 1;
    this.hash = (Math.imul(this.hash, 31) + hashOf(value)) | 0;
  }

  /** The body of the values fed since `begin`, if kept. */
  found(): RenderedBody | null {
    const candidates = this.byHash.get(this.hash);
    if (candidates === undefined) return null;
    for (let index = 0; index < candidates.length; index += 1) {
      const kept = candidates[index] as Kept;
      if (this.matches(kept.values)) return kept.body;
    }
    return null;
  }

  /** Renders the document of the values fed since `begin`, keeps it and gives it. */
  keep(document: PythonValue): RenderedBody {
    const body = renderBody(document);
    if (this.count >= BODIES_MAX) {
      this.byHash = new Map();
      this.count = 0;
    }
    const kept: Kept = { values: this.values.slice(0, this.length), body };
    const candidates = this.byHash.get(this.hash);
    if (candidates === undefined) this.byHash.set(this.hash, [kept]);
    else candidates.push(kept);
    this.count += 1;
    return body;
  }

  private matches(values: readonly BodyKey[]): boolean {
    if (values.length !== this.length) return false;
    for (let index = 0; index < values.length; index += 1) if (!Object.is(values[index], this.values[index])) return false;
    return true;
  }
}

/**
 * A value's part of the sum: a number's integer bits, a string's length and
 * first, middle and last characters (enough to tell the role uuids, class
 * names and projects of a run apart; strings that agree there only share a
 * list to scan).
 */
function hashOf(value: BodyKey): number {
  if (typeof value === 'string') {
    const length = value.length;
    if (length === 0) return 7;
    return (Math.imul(length, 961) + Math.imul(value.charCodeAt(0), 31) + Math.imul(value.charCodeAt(length >> 1), 17) + value.charCodeAt(length - 1)) | 0;
  }
  if (typeof value === 'number') return value | 0;
  return value === null ? 3 : value ? 1 : 2;
}
