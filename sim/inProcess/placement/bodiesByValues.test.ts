import { describe, expect, it } from 'vitest';
import { PythonFloat } from '../../../model/pythonRepr.ts';
import { jsonBodyOf } from '../../responseBody.ts';
import { BodiesByValues, type BodyKey } from './bodiesByValues.ts';
import { responseOfBody } from '../../responseBody.ts';

function bodyOf(memo: BodiesByValues, values: readonly BodyKey[], render: () => Parameters<BodiesByValues['keep']>[0]): ReturnType<BodiesByValues['keep']> {
  memo.begin();
  for (const value of values) memo.add(value);
  return memo.found() ?? memo.keep(render());
}

describe('BodiesByValues', () => {
  it('finds a body again by the same values, and renders it once', () => {
    const memo = new BodiesByValues();
    let renders = 0;
    const render = () => {
      renders += 1;
      return { generation: 1, ratio: new PythonFloat(1) };
    };
    const first = bodyOf(memo, ['a', 1], render);
    const second = bodyOf(memo, ['a', 1], render);
    expect(second).toBe(first);
    expect(renders).toBe(1);
    expect(first.text).toBe('{"generation": 1, "ratio": 1.0}');
    expect(jsonBodyOf(responseOfBody(200, { 'content-type': 'application/json' }, first))).toEqual({ kind: 'json', value: { generation: 1, ratio: 1 } });
  });

  it('tells apart sequences that differ in type, in length, or in the sign of zero', () => {
    const memo = new BodiesByValues();
    const sequences: readonly (readonly BodyKey[])[] = [['1'], [1], [1, 2], [0], [-0], [null], [false], []];
    const bodies = sequences.map((values, index) => bodyOf(memo, values, () => index));
    expect(bodies.map((body) => body.text)).toEqual(sequences.map((_, index) => String(index)));
    expect(sequences.map((values) => bodyOf(memo, values, () => 'again').text)).toEqual(sequences.map((_, index) => String(index)));
  });
});
