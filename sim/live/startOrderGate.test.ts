/**
 * The start-order gate on its own: simulated clients that each send their
 * steps in order, with answers arriving in an order the test chooses.
 */
import { describe, expect, it } from 'vitest';
import { createStartOrderGate, type RecordedStart, type StartGate } from './startOrderGate.ts';

/** Runs clients of `steps[client]` requests each; returns the order in which requests were sent. */
async function simulate(gate: StartGate, steps: readonly number[], stopAfter: ReadonlyMap<number, number> = new Map()): Promise<string[]> {
  const sent: string[] = [];
  const client = async (index: number, count: number): Promise<void> => {
    try {
      for (let step = 0; step < count; step += 1) {
        await gate.turn(index, step);
        sent.push(`${index}:${step}`);
        gate.sent(index, step);
        // An answer takes a different number of ticks per client, so that without the gate the order would differ.
        for (let tick = 0; tick < (index + 1) * 3; tick += 1) await Promise.resolve();
        if (stopAfter.get(index) === step) return;
      }
    } finally {
      gate.finished(index);
    }
  };
  await Promise.all(steps.map((count, index) => client(index, count)));
  return sent;
}

const order = (...keys: string[]): RecordedStart[] =>
  keys.map((key) => {
    const [client, step] = key.split(':').map(Number);
    return { client: client ?? 0, step: step ?? 0 };
  });

describe('start-order gate', () => {
  it('sends every request in its recorded start order, whatever the answer times', async () => {
    const recorded = order('2:0', '0:0', '1:0', '2:1', '0:1', '2:2', '1:1', '0:2');
    const sent = await simulate(createStartOrderGate(recorded), [3, 2, 3]);
    expect(sent).toEqual(recorded.map(({ client, step }) => `${client}:${step}`));
  });

  it('does not wait for requests a stopped client will never send', async () => {
    const recorded = order('0:0', '1:0', '0:1', '1:1', '0:2');
    // Client 1 stops after its first request (an unknown outcome): 1:1 is never sent.
    const sent = await simulate(createStartOrderGate(recorded), [3, 2], new Map([[1, 0]]));
    expect(sent).toEqual(['0:0', '1:0', '0:1', '0:2']);
  });

  it('sends requests the recording does not have after all recorded ones', async () => {
    const recorded = order('0:0', '1:0', '1:1');
    // Client 0 stopped after one request in the recording; in the replay it goes on.
    const sent = await simulate(createStartOrderGate(recorded), [3, 2]);
    expect(sent.slice(0, 3)).toEqual(['0:0', '1:0', '1:1']);
    expect(sent.slice(3)).toEqual(['0:1', '0:2']);
  });

  it('refuses an order in which a client would wait for its own later request', () => {
    expect(() => createStartOrderGate(order('0:1', '0:0'))).toThrow(/client 0 step 0 after step 1/);
  });
});
