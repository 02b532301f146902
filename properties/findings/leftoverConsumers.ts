/**
 * Consumers the real service still holds, with generation 0 and no
 * allocations, while the model (correctly) holds none: left behind by an
 * allocation write that auto-created them and then did not clean up.
 *
 * Placement 8.0.0 creates a missing consumer in `ensure_consumer`, in its
 * own transaction, before it looks at the allocations. It deletes that
 * consumer again only when the allocation transaction itself fails. Two
 * paths skip both:
 *   - `emptyAllocations`: the write gives the new consumer no allocations
 *     (`{}`; PUT from 1.28, POST from 1.13); `replace_all` has no rows for it,
 *     so it is never visited, never bumped and never deleted. 204.
 *   - `unknownProvider`: the body names a provider that does not exist; the
 *     400 is raised while building the allocation list, outside the
 *     try/except that deletes auto-created consumers.
 *
 * A leftover shows in two ways:
 *   - generations (1.28+): the service compares a write's generation with
 *     the leftover's 0, the model with "no consumer";
 *   - consumer type: a leftover created at 1.38+ keeps the type of the
 *     request that left it. A later write below 1.38 gives it allocations
 *     (the two sides agree again on everything else) but does not set a
 *     type, so the service reports the old type where the model has none,
 *     until a 1.38+ write sets one or the consumer goes away.
 */
import { microversion, negotiateMicroversion } from '../../model/microversion.ts';
import type { ComparedStep } from '../conformance/runSequence.ts';
import { allocationWrite, checksConsumerGenerations, setsConsumerType } from './allocationWrite.ts';

export type LeftoverCause = 'emptyAllocations' | 'unknownProvider';

export interface Leftover {
  readonly uuid: string;
  readonly cause: LeftoverCause;
  /** Index of the request that left it behind. */
  readonly step: number;
  /** The type the service stored for it (1.38+ requests), else `null`. */
  readonly consumerType: string | null;
}

export interface ConsumerDivergences {
  /** Leftovers the model does not hold. */
  readonly leftovers: ReadonlyMap<string, Leftover>;
  /** Former leftovers both sides hold, the service with the leftover's type, the model with none. */
  readonly retyped: ReadonlyMap<string, Leftover>;
}

/** In JSON, plain-text or HTML error pages (where the quote is `&#x27;`). */
const UNKNOWN_PROVIDER_DETAIL = /Allocation for resource provider ('|&#x27;).*?\1 that does not exist\./;

/** How the consumers of both sides differ just before `steps[index]`, as far as leftovers explain it. */
export function consumerDivergences(steps: readonly ComparedStep[], index: number): ConsumerDivergences {
  const leftovers = new Map<string, Leftover>();
  const retyped = new Map<string, Leftover>();
  for (const step of steps.slice(0, index)) {
    const write = allocationWrite(step.request);
    const status = step.real.kind === 'response' ? step.real.response.status : null;
    const body = step.real.kind === 'response' ? step.real.response.body : '';
    if (write !== null) {
      const typed = setsConsumerType(write);
      for (const consumer of write.consumers) {
        const created = !step.stateBefore.consumers.has(consumer.uuid);
        const consumerType = typed && typeof consumer.consumerType === 'string' ? consumer.consumerType : null;
        const leftover = (cause: LeftoverCause): Leftover => ({ uuid: consumer.uuid, cause, step: step.index, consumerType });
        if (status === 204 && created && consumer.clears) leftovers.set(consumer.uuid, leftover('emptyAllocations'));
        if (status === 400 && created && UNKNOWN_PROVIDER_DETAIL.test(body)) leftovers.set(consumer.uuid, leftover('unknownProvider'));
        // A successful write from 1.38 sets the type on both sides.
        if (status === 204 && typed) retyped.delete(consumer.uuid);
      }
    }
    for (const [uuid, leftover] of [...leftovers]) {
      if (!step.stateAfter.consumers.has(uuid)) continue;
      leftovers.delete(uuid);
      if (leftover.consumerType !== null && write !== null && !setsConsumerType(write)) retyped.set(uuid, leftover);
    }
    for (const uuid of [...retyped.keys()]) if (!step.stateAfter.consumers.has(uuid)) retyped.delete(uuid);
  }
  return { leftovers, retyped };
}

/** The real service compared the request's generation with the leftover's 0. */
const REAL_SEES_LEFTOVER = 'consumer generation conflict - expected 0 but got ';
/** The model compared it with "no consumer". */
const MODEL_SEES_NOTHING = 'consumer generation conflict - expected null but got ';

/**
 * A write from 1.28 naming a leftover, where one side refused it with a
 * generation conflict the other did not report.
 */
function generationSymptom(last: ComparedStep, divergences: ConsumerDivergences): Leftover | null {
  if (last.real.kind !== 'response') return null;
  const write = allocationWrite(last.request);
  if (write === null || !checksConsumerGenerations(write)) return null;
  const realText = last.real.response.body;
  const modelText = last.model.body;
  const realSawLeftover = realText.includes(REAL_SEES_LEFTOVER) && !modelText.includes(REAL_SEES_LEFTOVER);
  const modelSawNothing = modelText.includes(MODEL_SEES_NOTHING) && !realText.includes(MODEL_SEES_NOTHING);
  if (!realSawLeftover && !modelSawNothing) return null;
  for (const consumer of write.consumers) {
    const leftover = divergences.leftovers.get(consumer.uuid);
    if (leftover !== undefined) return leftover;
  }
  return null;
}

/**
 * A read from 1.38 whose only differences are consumer types: of a retyped
 * consumer's allocations, or in the usages grouped by type.
 */
function typeSymptom(last: ComparedStep, divergences: ConsumerDivergences): Leftover | null {
  if (last.request.method !== 'GET' || last.differences.length === 0) return null;
  const negotiated = negotiateMicroversion(last.request.headers['openstack-api-version']);
  if (negotiated.kind !== 'ok' || negotiated.version < microversion(1, 38)) return null;
  const path = last.request.path.split('?')[0] ?? '';
  const consumerMatch = /^\/allocations\/([^/]+)$/.exec(path);
  if (consumerMatch !== null) {
    const leftover = divergences.retyped.get(consumerMatch[1] ?? '');
    const onlyType = last.differences.every((difference) => difference.where === 'body $.consumer_type');
    return leftover !== undefined && onlyType ? leftover : null;
  }
  if (path === '/usages') {
    const onlyUsages = last.differences.every((difference) => difference.where.startsWith('body $.usages'));
    const first = divergences.retyped.values().next();
    return onlyUsages && first.done !== true ? first.value : null;
  }
  return null;
}

/** The leftover that explains the last step's difference, if any. */
export function leftoverShowingIn(steps: readonly ComparedStep[]): Leftover | null {
  const last = steps[steps.length - 1];
  if (last === undefined) return null;
  const divergences = consumerDivergences(steps, last.index);
  return generationSymptom(last, divergences) ?? typeSymptom(last, divergences);
}
