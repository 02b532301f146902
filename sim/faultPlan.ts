/**
 * Fault injection at the store's seams, chosen per seed. The plan draws one
 * number per step, whether or not a fault applies there, so that the same
 * schedule always meets the same faults.
 */
import type { Isolation, DatabaseError } from './store/store.ts';
import type { Step } from './inProcess/step.ts';
import type { Random } from './random.ts';
import type { FaultKind } from './runOptions.ts';

const SEAM_PROBABILITY = 0.5;

export interface FaultEvent {
  readonly tick: number;
  readonly client: number;
  readonly operation: number;
  readonly kind: FaultKind;
  readonly statement: string;
}

export class FaultPlan {
  readonly events: FaultEvent[] = [];

  constructor(
    private readonly kinds: readonly FaultKind[],
    private readonly probability: number,
    private readonly isolation: Isolation,
    private readonly random: Random,
  ) {}

  /** Whether the plan can fail any step; when not, `decide` need not be asked (it draws nothing). */
  get injects(): boolean {
    return this.kinds.length > 0;
  }

  /** The error to fail this step with, or `null` to run it. */
  decide(step: Step<unknown>, where: { readonly tick: number; readonly client: number; readonly operation: number }): DatabaseError | null {
    if (this.kinds.length === 0) return null;
    const draw = this.random.next();
    const applicable = this.kinds.filter((kind) => this.applies(kind, step));
    // The two seam faults have one statement each to hit, so they fire often there.
    const probability = step.seam === 'statement' ? this.probability : Math.max(this.probability, SEAM_PROBABILITY);
    if (draw >= probability || applicable.length === 0) return null;
    const kind = applicable[Math.floor((draw / probability) * applicable.length)] ?? applicable[0];
    if (kind === undefined) return null;
    this.events.push({ ...where, kind, statement: step.label });
    return kind === 'deadlock' ? { kind: 'deadlock' } : { kind: 'lostConnection' };
  }

  private applies(kind: FaultKind, step: Step<unknown>): boolean {
    switch (kind) {
      case 'deadlock':
        return step.writes && step.transaction !== null && this.isolation !== 'serial' && step.seam !== 'consumerCleanup';
      case 'lost-connection':
        return step.transaction !== null && step.seam === 'statement';
      case 'fail-between-delete-and-insert':
        return step.seam === 'allocationsInsertAfterDelete';
      case 'fail-consumer-cleanup':
        return step.seam === 'consumerCleanup';
      default:
        return assertNever(kind);
    }
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled fault kind: ${String(value)}`);
}
