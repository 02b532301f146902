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
 * time, through a tree of maps (no key is built): `begin`, then `add` each
 * value, then `found`, or `keep` the body rendered after a miss. Each memo
 * serves one kind of document, whose handler feeds, in a fixed order, every
 * value the document depends on (including the microversion's choices), so
 * that equal sequences mean equal documents. A sequence that is a prefix of
 * another ends at a node of its own, so sequences of different lengths never
 * meet. A memo of a pure function, bounded by wiping; the bodies are
 * read-only, so one serves every response that carries it.
 */
import { renderBody, type RenderedBody } from '../../responseBody.ts';
import type { PythonValue } from '../../../model/pythonRepr.ts';

/** What a document's values are fed as: Maps tell these apart by type (`1` is not `'1'`). */
export type BodyKey = string | number | boolean | null;

/**
 * What -0 is kept under: Maps take it for 0, while a float's text tells
 * them apart (`-0.0`, `0.0`).
 */
const NEGATIVE_ZERO: unique symbol = Symbol('-0');

class Node {
  next: Map<BodyKey | typeof NEGATIVE_ZERO, Node> | null = null;
  body: RenderedBody | null = null;
}

const BODIES_MAX = 4_096;

export class BodiesByValues {
  private root = new Node();
  private count = 0;
  /** Where the sequence fed since `begin` leads. One lookup at a time: a handler feeds its values and reads or keeps its body without a step between. */
  private at: Node = this.root;

  begin(): void {
    this.at = this.root;
  }

  add(value: BodyKey): void {
    const at = this.at;
    let next = at.next;
    if (next === null) {
      next = new Map();
      at.next = next;
    }
    const key = value === 0 && Object.is(value, -0) ? NEGATIVE_ZERO : value;
    let node = next.get(key);
    if (node === undefined) {
      node = new Node();
      next.set(key, node);
    }
    this.at = node;
  }

  /** The body of the sequence fed since `begin`, if kept. */
  found(): RenderedBody | null {
    return this.at.body;
  }

  /** Renders the document of the sequence fed since `begin`, keeps it and gives it. */
  keep(document: PythonValue): RenderedBody {
    const body = renderBody(document);
    this.at.body = body;
    this.count += 1;
    if (this.count >= BODIES_MAX) {
      this.root = new Node();
      this.count = 0;
    }
    this.at = this.root;
    return body;
  }
}
