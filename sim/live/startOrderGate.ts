/**
 * A start-order gate for replaying a live run: a client request is not sent
 * before every request recorded with an earlier invocation time has been
 * sent. Only starts are ordered; responses still come when the service
 * answers, so the interleaving inside the service stays the service's.
 *
 * The gate reads no clock: it orders by the recorded order alone.
 */

/** One recorded client request, by client and position in that client's sequence. */
export interface RecordedStart {
  readonly client: number;
  readonly step: number;
}

export interface StartGate {
  /**
   * Resolves once every request recorded before this one has been sent, or
   * will never be (its client stopped). A request the recording does not
   * have (its client stopped earlier there) waits for all recorded ones.
   */
  turn(client: number, step: number): Promise<void>;
  /** The request has been handed to the HTTP client. */
  sent(client: number, step: number): void;
  /** The client sends nothing more: it finished, or stopped at an unknown outcome. */
  finished(client: number): void;
}

/**
 * `order` lists the recorded client requests by invocation time. Each
 * client's own requests must appear in step order (a client sends one at a
 * time); otherwise a client would wait for a later request of its own and
 * never proceed, so that is rejected here as a programming error.
 */
export function createStartOrderGate(order: readonly RecordedStart[]): StartGate {
  const positions = new Map<string, number>();
  const lastStep = new Map<number, number>();
  for (const [index, { client, step }] of order.entries()) {
    const previous = lastStep.get(client) ?? -1;
    if (step <= previous) throw new Error(`start order lists client ${client} step ${step} after step ${previous}`);
    lastStep.set(client, step);
    positions.set(keyOf(client, step), index);
  }
  const released: boolean[] = order.map(() => false);
  /** Every position below it has been released. */
  let prefix = 0;
  const waiting: { readonly position: number; readonly resolve: () => void }[] = [];

  const advance = (): void => {
    while (prefix < order.length && released[prefix] === true) prefix += 1;
    for (let index = waiting.length - 1; index >= 0; index -= 1) {
      const waiter = waiting[index];
      if (waiter === undefined || waiter.position > prefix) continue;
      waiting.splice(index, 1);
      waiter.resolve();
    }
  };

  return {
    turn(client: number, step: number): Promise<void> {
      const position = positions.get(keyOf(client, step)) ?? order.length;
      if (position <= prefix) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ position, resolve }));
    },
    sent(client: number, step: number): void {
      const position = positions.get(keyOf(client, step));
      if (position === undefined) return;
      released[position] = true;
      advance();
    },
    finished(client: number): void {
      for (const [index, start] of order.entries()) if (start.client === client) released[index] = true;
      advance();
    },
  };
}

function keyOf(client: number, step: number): string {
  return `${client}:${step}`;
}
