import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { benchmarkLinearizability, renderBenchmark } from './benchmark.ts';
import { simulatedClientsHistory } from './simulatedClientsHistory.ts';

describe('benchmark', () => {
  it('checks small generated histories as linearizable and reports each case', () => {
    let ticks = 0;
    const rows = benchmarkLinearizability({
      now: () => (ticks += 1),
      seed: 'test',
      cases: [
        { requestsCount: 200, clientsCount: 4, sharing: 'pairs' },
        { requestsCount: 200, clientsCount: 4, sharing: 'all' },
      ],
      timeLimitMs: 1_000_000,
    });
    expect(rows.map((row) => row.verdict)).toEqual(['ok', 'ok']);
    expect(rows[0]?.partitionsCount).toBeGreaterThan(1);
    expect(rows[1]?.partitionsCount).toBe(1);
    expect(renderBenchmark(rows).split('\n')).toHaveLength(3);
  });

  it('generates the same history from the same seed, one request in flight per client', () => {
    const generate = (): ReturnType<typeof simulatedClientsHistory> => {
      const random = seedrandom('same');
      return simulatedClientsHistory({ clientsCount: 4, requestsCount: 300, sharing: 'all', random: () => random(), unknownShare: 0.05 });
    };
    const first = generate();
    expect(JSON.stringify(generate())).toBe(JSON.stringify(first));
    const byClient = new Map<number, { invokedAt: number; completedAt: number | null }[]>();
    for (const operation of first.history.operations) byClient.set(operation.client, [...(byClient.get(operation.client) ?? []), operation]);
    for (const operations of byClient.values()) {
      for (let index = 1; index < operations.length; index += 1) {
        const previous = operations[index - 1];
        const current = operations[index];
        if (previous?.completedAt !== null && previous !== undefined && current !== undefined) expect(current.invokedAt).toBeGreaterThan(previous.completedAt);
      }
    }
  });
});
