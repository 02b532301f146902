/**
 * The yes/no pass `conforms` agrees with the full error search on every
 * schema Placement uses: an instance conforms exactly when the search finds
 * no error. Instances are built from the schemas' own property names and
 * values near their limits, so that most keywords pass and fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conforms, describeErrors, nameMatcher, pythonSearch, type Schema } from './jsonSchema.ts';
import { PythonFloat, type PythonValue } from './pythonRepr.ts';
import * as schemas from './schemas.ts';

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && Array.isArray((value as { order?: unknown }).order);
}

const SCHEMAS: readonly (readonly [string, Schema])[] = Object.entries(schemas).filter((entry): entry is [string, Schema] => isSchema(entry[1]));

/** Every property name the schemas mention, so generated objects hit `properties` and `required`. */
function propertyNames(schema: Schema, into: Set<string>): Set<string> {
  for (const [name, subschema] of Object.entries(schema.properties ?? {})) {
    into.add(name);
    propertyNames(subschema, into);
  }
  for (const subschema of Object.values(schema.patternProperties ?? {})) propertyNames(subschema, into);
  if (schema.items !== undefined) propertyNames(schema.items, into);
  for (const subschema of schema.anyOf ?? []) propertyNames(subschema, into);
  return into;
}

const NAMES = [...SCHEMAS.reduce((names, [, schema]) => propertyNames(schema, names), new Set<string>())];
const KEYS = [...NAMES, 'cccccccc-0000-4000-8000-000000000001', 'CCCCCCCC-0000-4000-8000-000000000001', 'VCPU', 'CUSTOM_X', 'lower', 'x\ny', ''];

const scalar: fc.Arbitrary<PythonValue> = fc.oneof(
  fc.constantFrom<PythonValue>(0, 1, -1, 2147483647, 2147483648, null, true, false, '', 'a', 'VCPU', 'CUSTOM_GPU', 'in_tree', 'true', '1.9'),
  fc.constantFrom<PythonValue>('cccccccc-0000-4000-8000-000000000001', 'cccccccc00004000800000000000000001', 'x'.repeat(256), '\ud83d\ude00'.repeat(128)),
  fc.integer().map((value): PythonValue => value),
  fc.double({ noNaN: false }).map((value): PythonValue => new PythonFloat(value)),
  fc.constantFrom(1, 2, 16.5).map((value): PythonValue => new PythonFloat(value)),
  fc.string({ maxLength: 6 }).map((value): PythonValue => value),
);

const value: fc.Arbitrary<PythonValue> = fc.letrec<{ value: PythonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const UUIDS = ['cccccccc-0000-4000-8000-000000000001', 'CCCCCCCC-0000-4000-8000-000000000002', 'cccccccc000040008000000000000003', 'not-a-uuid', ''];
const NAMES_FOR_PATTERNS = ['VCPU', 'CUSTOM_GPU', 'lower', 'HW_CPU_X86_AVX', 'CUSTOM_', '_', 'a-b', 'x'.repeat(65), ...UUIDS];

/** Strings near the schema's limits: lengths at and past them (also in code points), pattern and uuid hits and misses. */
function stringFor(schema: Schema): fc.Arbitrary<PythonValue> {
  const lengths = [schema.minLength, schema.maxLength].filter((length): length is number => length !== undefined);
  const near = lengths.flatMap((length) => [length - 1, length, length + 1]).filter((length) => length >= 0);
  return fc.oneof(
    fc.constantFrom<PythonValue>(...UUIDS, ...NAMES_FOR_PATTERNS),
    near.length === 0 ? fc.string({ maxLength: 4 }) : fc.constantFrom(...near).map((length) => 'a'.repeat(length)),
    // Each emoji is two UTF-16 units but one code point.
    near.length === 0 ? fc.constant('\ud83d\ude00') : fc.constantFrom(...near).map((length) => '\ud83d\ude00'.repeat(length)),
  );
}

/** Numbers at, inside and past the schema's bounds, as ints and as floats. */
function numberFor(schema: Schema): fc.Arbitrary<PythonValue> {
  const bounds = [schema.minimum, schema.maximum].filter((bound): bound is number => bound !== undefined);
  const near = [0, 1, ...bounds.flatMap((bound) => [bound - 1, bound, bound + 1])];
  return fc.oneof(
    fc.constantFrom(...near),
    fc.constantFrom(...near, 1.5, 2 ** 40).map((number): PythonValue => new PythonFloat(number)),
  );
}

/** Instances shaped after the schema, most parts valid, any part possibly replaced by something else. */
function instanceFor(schema: Schema, depth: number): fc.Arbitrary<PythonValue> {
  const options: fc.Arbitrary<PythonValue>[] = [];
  for (const subschema of schema.anyOf ?? []) options.push(instanceFor(subschema, depth));
  const types = schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;
  for (const type of types) {
    if (type === 'object' && depth < 5) {
      const properties = Object.entries(schema.properties ?? {}).map(([name, subschema]) =>
        fc.option(instanceFor(subschema, depth + 1).map((item) => [name, item] as const), { nil: undefined, freq: 3 }),
      );
      const patterned = Object.values(schema.patternProperties ?? {}).map((subschema) =>
        fc.array(fc.tuple(fc.constantFrom(...NAMES_FOR_PATTERNS), instanceFor(subschema, depth + 1)), { maxLength: 2 }),
      );
      options.push(
        fc.tuple(fc.tuple(...properties), fc.tuple(...patterned), fc.option(fc.tuple(fc.constantFrom(...KEYS), scalar), { freq: 4 })).map(([named, byPattern, extra]) => {
          const object: Record<string, PythonValue> = {};
          for (const entry of named) if (entry !== undefined) object[entry[0]] = entry[1];
          for (const entries of byPattern) for (const [name, item] of entries) object[name] = item;
          if (extra !== null) object[extra[0]] = extra[1];
          return object;
        }),
      );
    }
    if (type === 'array' && depth < 5) {
      const items = fc.array(schema.items === undefined ? scalar : instanceFor(schema.items, depth + 1), { maxLength: 3 });
      // Sometimes the first item again, for uniqueItems.
      options.push(fc.tuple(items, fc.boolean()).map(([list, repeat]): PythonValue => (repeat && list.length > 0 ? [...list, list[0] ?? null] : list)));
    }
    if (type === 'string') options.push(stringFor(schema));
    if (type === 'integer' || type === 'number') options.push(numberFor(schema));
    if (type === 'null') options.push(fc.constant(null));
    if (type === 'boolean') options.push(fc.boolean());
  }
  if (schema.format === 'uuid') options.push(fc.constantFrom<PythonValue>(...UUIDS));
  if (options.length === 0) options.push(scalar);
  return fc.oneof({ weight: 1, arbitrary: scalar }, { weight: 8, arbitrary: fc.oneof(...options) });
}

describe('conforms', () => {
  it('agrees with the error search on instances shaped after each schema', () => {
    for (const [, schema] of SCHEMAS) {
      fc.assert(
        fc.property(instanceFor(schema, 0), (instance) => {
          expect(conforms(instance, schema)).toBe(describeErrors(instance, schema) === null);
        }),
        { numRuns: 150 },
      );
    }
  });

  it('agrees with the error search on any value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SCHEMAS), value, ([, schema], instance) => {
        expect(conforms(instance, schema)).toBe(describeErrors(instance, schema) === null);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts valid bodies and refuses invalid ones', () => {
    const body = { allocations: { 'cccccccc-0000-4000-8000-000000000001': { resources: { VCPU: 1 } } }, project_id: 'p', user_id: 'u', consumer_generation: null };
    expect(conforms(body, schemas.ALLOCATION_1_28)).toBe(true);
    expect(conforms({ ...body, project_id: 1 }, schemas.ALLOCATION_1_28)).toBe(false);
    expect(conforms({ name: 'x'.repeat(201) }, schemas.POST_RESOURCE_PROVIDER)).toBe(false);
    expect(conforms({ name: 'x'.repeat(200) }, schemas.POST_RESOURCE_PROVIDER)).toBe(true);
  });
});

describe('nameMatcher', () => {
  /** The schemas' patterns, and others of the shapes the fast path takes or must leave to the regular expression. */
  const PATTERNS = [
    schemas.UUID_PATTERN,
    schemas.RC_PATTERN,
    schemas.CUSTOM_RC_PATTERN,
    '[a-zA-Z0-9_-]{1,64}',
    '^[a-c]{3}$',
    '^[0-9_-]+$',
    '^[a-f]{2}',
    '[A-Z]+$',
    '^[^a]+$',
    '^[a\\n]+$',
    '^[a-z]{1,3}$',
  ];
  const text = fc.oneof(
    fc
      .array(fc.constantFrom('a', 'b', 'c', 'f', 'g', 'A', 'F', 'Z', '0', '9', '_', '-', '\n', ' ', 'é', '\ud83d\ude00'), { maxLength: 40 })
      .map((units) => units.join('')),
    fc.uuid(),
    fc.uuid().map((uuid) => `${uuid}\n`),
    fc.uuid().map((uuid) => `${uuid}\n\n`),
    fc.uuid().map((uuid) => uuid.toUpperCase().slice(1)),
    fc.constantFrom('', '\n', 'VCPU', 'VCPU\n', 'CUSTOM_X', 'CUSTOM_', 'abc', 'abc\n', 'ab', 'abcd'),
    fc.string({ maxLength: 40 }),
  );

  it('agrees with the regular expression', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATTERNS), text, (pattern, name) => {
        expect(nameMatcher(pattern)(name)).toBe(pythonSearch(pattern, name));
      }),
      { numRuns: 5000 },
    );
  });
});
