import { describe, expect, it } from 'vitest';
import { checkLinearizability } from './checkLinearizability.ts';
import { GOLDEN_HISTORIES } from './goldenHistories.ts';
import { initialStateOf } from './historyFile.ts';
import { renderLinearizabilityResult } from './renderLinearizabilityResult.ts';
import { renderTimeline } from './renderTimeline.ts';

function golden(name: string): (typeof GOLDEN_HISTORIES)[number] {
  const found = GOLDEN_HISTORIES.find((history) => history.name === name);
  if (found === undefined) throw new Error(`no golden history named ${name}`);
  return found;
}

describe('rendering', () => {
  it('explains an illegal history as Let ... Then ... But, with the numbers', () => {
    const history = golden('delete succeeds but the concurrent write survives it').file;
    const result = checkLinearizability(history, initialStateOf(history), { now: () => 0, timeLimitMs: 1_000, statesMax: 1_000 });
    const text = renderLinearizabilityResult(result, history);
    expect(text).toMatch(/^NOT linearizable/);
    expect(text).toContain('Let these 2 operations take effect in this order');
    expect(text).toContain('1. #0 client 0: PUT /allocations/cccccccc-0000-4000-8000-000000000001 -> 204');
    expect(text).toContain('Then the next operation to take effect must have been called by the time #2 returned (21)');
    expect(text).toContain('at allocations.aaaaaaaa-0000-4000-8000-000000000001: (absent) expected, {"resources":{"VCPU":2},"generation":3} observed');
    expect(text).toContain('But none of them can');
  });

  it('states the verdict of a linearizable history in its first line', () => {
    const history = golden('only one interleaving explains it').file;
    const result = checkLinearizability(history, initialStateOf(history), { now: () => 0, timeLimitMs: 1_000, statesMax: 1_000 });
    expect(renderLinearizabilityResult(result, history).split('\n')[0]).toMatch(/^linearizable/);
  });

  it('draws a timeline with overlaps and unknown outcomes', () => {
    const history = golden('a timed-out write must have happened').file;
    const lines = renderTimeline(history.operations, 20).split('\n');
    expect(lines[0]).toBe('#0 client 0  |==================>  PUT /allocations/cccccccc-0000-4000-8000-000000000001 -> ? (timeout)');
    expect(lines[1]).toMatch(/^#1 client 1 {18}\|==\| {2}GET /);
  });
});
