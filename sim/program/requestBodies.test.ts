/**
 * A shared body is the body the request would send if it were made on its
 * own: the text JSON.stringify gives for the document, and a reading equal
 * to parsing that text, however often the same or a similar key recurs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placementRequestSending } from '../../model/http.ts';
import { parsePythonJson, type JsonParse } from '../../model/pythonJson.ts';
import { pythonRepr } from '../../model/pythonRepr.ts';
import { parseRequestBody, type SentBody } from '../../model/api/context.ts';
import type { AllocationSpec, ConsumerAllocationsSpec, GenerationChoice, InventorySpec } from './program.ts';
import { consumerWriteBody, inventoriesWriteBody, postAllocationsBody, providerCreateBody, type ConsumerForm } from './requestBodies.ts';

const FORMS: readonly ConsumerForm[] = ['list', 'listOwned', 'dict', 'dictGeneration', 'dictTyped'];
const DICT_FORMS: readonly ConsumerForm[] = ['dict', 'dictGeneration', 'dictTyped'];

/** Few distinct names and numbers, so that keys recur and differ in one part. */
const name = fc.constantFrom('a0000001-0000-4000-8000-000000000001', 'a0000002-0000-4000-8000-000000000002', '7', '0', '01', 'VCPU', 'x"y', '');
const amount = fc.constantFrom(0, -0, 1, 2, 1.5, Number.NaN, 2 ** 53);
const generation = fc.option(fc.constantFrom(0, -0, 1, 3), { nil: null });
const allocation: fc.Arbitrary<AllocationSpec> = fc.record({ provider: name, resources: fc.dictionary(name, amount, { maxKeys: 2 }) });
const allocations = fc.array(allocation, { maxLength: 2 });

const SENT: Readonly<Record<GenerationChoice, number | null>> = { known: 3, stale: 2, null: null };

function shown(parse: JsonParse): string {
  return parse.kind === 'ok' ? `ok ${pythonRepr(parse.value)}` : `error ${parse.message}`;
}

/** The body reads, through a request sending it, as its text parses. */
function expectExact(body: SentBody, document: unknown): void {
  const text = JSON.stringify(document);
  expect(body.text).toBe(text);
  const request = placementRequestSending('PUT', '/allocations/x', '1.39', body);
  expect(shown(parseRequestBody(request))).toBe(shown(parsePythonJson(text)));
}

function consumerDocument(form: ConsumerForm, sent: number | null, specs: readonly AllocationSpec[]): Record<string, unknown> {
  const dict: Record<string, unknown> = {};
  for (const spec of specs) dict[spec.provider] = { resources: spec.resources };
  const list = specs.map((spec) => ({ resource_provider: { uuid: spec.provider }, resources: spec.resources }));
  const owner = { project_id: 'sim-project', user_id: 'sim-user' };
  switch (form) {
    case 'list':
      return { allocations: list };
    case 'listOwned':
      return { allocations: list, ...owner };
    case 'dict':
      return { allocations: dict, ...owner };
    case 'dictGeneration':
      return { allocations: dict, ...owner, consumer_generation: sent };
    case 'dictTyped':
      return { allocations: dict, ...owner, consumer_generation: sent, consumer_type: 'INSTANCE' };
  }
}

describe('shared request bodies', () => {
  it('a consumer write is the document its form describes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORMS), generation, allocations, (form, sent, specs) => {
        const expected = consumerDocument(form, form === 'dictGeneration' || form === 'dictTyped' ? sent : null, specs);
        expectExact(consumerWriteBody(form, sent, specs), expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a POST joins its consumers, or is made whole where joining would not be exact', () => {
    const posted = fc.record({ consumer: name, generation: fc.constantFrom<GenerationChoice>('known', 'null', 'stale'), allocations });
    /** A client that sends the choice's number as it stands: known 3, stale 2, null. */
    const generations = { sentGeneration: (form: ConsumerForm, spec: ConsumerAllocationsSpec) => (form === 'dict' ? null : SENT[spec.generation]) };
    fc.assert(
      fc.property(fc.constantFrom(...DICT_FORMS), fc.array(posted, { minLength: 1, maxLength: 3 }), (form, consumers) => {
        const expected: Record<string, unknown> = {};
        for (const each of consumers) expected[each.consumer] = consumerDocument(form, form === 'dict' ? null : SENT[each.generation], each.allocations);
        expectExact(postAllocationsBody(form, consumers, generations), expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('an inventory write and a provider creation are their documents', () => {
    const field = fc.constantFrom(0, -0, 1, 4, 1.5, 16);
    const inventory: fc.Arbitrary<InventorySpec> = fc.record({ total: field, reserved: field, minUnit: field, maxUnit: field, stepSize: field, allocationRatio: field });
    fc.assert(
      fc.property(fc.constantFrom(0, 1, 2), fc.dictionary(name, inventory, { maxKeys: 2 }), name, name, (sent, inventories, providerName, uuid) => {
        const fields: Record<string, unknown> = {};
        for (const [resourceClass, each] of Object.entries(inventories)) {
          fields[resourceClass] = {
            total: each.total,
            reserved: each.reserved,
            min_unit: each.minUnit,
            max_unit: each.maxUnit,
            step_size: each.stepSize,
            allocation_ratio: each.allocationRatio,
          };
        }
        expectExact(inventoriesWriteBody(sent, inventories), { resource_provider_generation: sent, inventories: fields });
        expectExact(providerCreateBody(providerName, uuid), { name: providerName, uuid });
      }),
      { numRuns: 1_000 },
    );
  });
});
