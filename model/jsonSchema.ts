/**
 * The subset of JSON Schema that Placement's request schemas use, validated
 * the way Python's jsonschema 4.10 does it (Debian bookworm's version), down
 * to which error is reported when several apply and how it is worded.
 *
 * Schemas are plain objects whose key order is the key order of the Python
 * dicts in `placement/schemas/`, because jsonschema reports errors in the
 * order it meets the keywords.
 */
import { isUuidLike } from './uuid.ts';
import { PythonFloat, pythonPformat, pythonRepr, type PythonValue } from './pythonRepr.ts';

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'null' | 'boolean';

export interface Schema {
  readonly type?: SchemaType | readonly SchemaType[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly additionalProperties?: boolean;
  readonly required?: readonly string[];
  readonly minProperties?: number;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly uniqueItems?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: 'uuid';
  readonly anyOf?: readonly Schema[];
  /** Key order of the Python dict; keywords are checked in this order. */
  readonly order: readonly string[];
}

interface SchemaError {
  readonly message: string;
  readonly keyword: string;
  readonly path: readonly (string | number)[];
  /** Path from the root schema to the schema holding the keyword. */
  readonly schemaPath: readonly (string | number)[];
  readonly schema: Schema;
  readonly instance: PythonValue;
  readonly context: readonly SchemaError[];
}

/** Validates and, on failure, returns jsonschema's `str(ValidationError)`. */
export function validateSchema(instance: PythonValue, schema: Schema): string | null {
  // Most bodies are valid: a yes/no pass first, the errors (with their
  // paths, contexts and messages) only for a body that fails it.
  return conforms(instance, schema) ? null : describeErrors(instance, schema);
}

/** jsonschema's message for the best of the instance's errors; `null` when it has none. */
export function describeErrors(instance: PythonValue, schema: Schema): string | null {
  const errors = iterateErrors(instance, schema, [], []);
  const best = bestMatch(errors);
  return best === null ? null : renderError(best);
}

type Relevance = readonly [number, boolean, boolean, boolean];

function relevance(error: SchemaError): Relevance {
  return [-error.path.length, error.keyword !== 'anyOf' && error.keyword !== 'oneOf', false, !matchesType(error)];
}

function matchesType(error: SchemaError): boolean {
  const expected = error.schema.type;
  if (expected === undefined) return false;
  const types = typeof expected === 'string' ? [expected] : expected;
  return types.some((type) => isType(error.instance, type));
}

function compareRelevance(left: Relevance, right: Relevance): number {
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index];
    const b = right[index];
    if (a === b) continue;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return a ? 1 : -1;
  }
  return 0;
}

/** jsonschema's best_match: the first most relevant error, then into anyOf. */
function bestMatch(errors: readonly SchemaError[]): SchemaError | null {
  const [first] = errors;
  if (first === undefined) return null;
  let best: SchemaError = first;
  for (const candidate of errors) {
    if (compareRelevance(relevance(candidate), relevance(best)) > 0) best = candidate;
  }
  // Bounded by the nesting depth of the schema.
  while (best.context.length > 0) {
    const sorted: SchemaError[] = [...best.context].sort((a, b) => compareRelevance(relevance(a), relevance(b)));
    const smallest: SchemaError | undefined = sorted[0];
    const second: SchemaError | undefined = sorted[1];
    if (smallest === undefined) break;
    if (second !== undefined && compareRelevance(relevance(smallest), relevance(second)) === 0) return best;
    best = smallest;
  }
  return best;
}

function formatAsIndex(container: string, indices: readonly (string | number)[]): string {
  if (indices.length === 0) return container;
  return `${container}[${indices.map((index) => pythonRepr(index)).join('][')}]`;
}

function indentLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim().length > 0 ? prefix + line : line))
    .join('\n');
}

function renderError(error: SchemaError): string {
  const schemaText = indentLines(pythonPformat(schemaAsPython(error.schema), 72), '    ');
  const instanceText = indentLines(pythonPformat(error.instance, 72), '    ');
  return [
    error.message,
    '',
    `Failed validating ${pythonRepr(error.keyword)} in ${formatAsIndex('schema', error.schemaPath)}:`,
    schemaText,
    '',
    `On ${formatAsIndex('instance', error.path)}:`,
    instanceText,
  ].join('\n');
}

/** The Python dict a schema was written as, for printing in messages. */
export function schemaAsPython(schema: Schema): PythonValue {
  const out: Record<string, PythonValue> = {};
  for (const key of schema.order) {
    const value = (schema as unknown as Record<string, unknown>)[key];
    out[key] = schemaValueAsPython(value);
  }
  return out;
}

function schemaValueAsPython(value: unknown): PythonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e16 ? value : new PythonFloat(value);
  if (Array.isArray(value)) return value.map((item: unknown) => schemaValueAsPython(item));
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record['order'])) return schemaAsPython(value as Schema);
    const out: Record<string, PythonValue> = {};
    for (const [key, item] of Object.entries(record)) out[key] = schemaValueAsPython(item);
    return out;
  }
  return null;
}

export function isType(instance: PythonValue, type: SchemaType): boolean {
  switch (type) {
    case 'object':
      return isObject(instance);
    case 'array':
      return Array.isArray(instance);
    case 'string':
      return typeof instance === 'string';
    case 'null':
      return instance === null;
    case 'boolean':
      return typeof instance === 'boolean';
    case 'integer':
      // jsonschema counts a float with no fraction (2.0) as an integer.
      if (instance instanceof PythonFloat) return Number.isInteger(instance.value);
      return typeof instance === 'number';
    case 'number':
      return instance instanceof PythonFloat || typeof instance === 'number';
    default:
      return assertNever(type);
  }
}

export function isObject(instance: PythonValue): instance is { readonly [key: string]: PythonValue } {
  if (instance === null || typeof instance !== 'object' || Array.isArray(instance)) return false;
  // A record is almost always a plain object, told in one step; `instanceof` walks the prototype chain
  // of objects whose shapes vary with the uuids they are keyed by.
  return Object.getPrototypeOf(instance) === Object.prototype || !(instance instanceof PythonFloat);
}

function numericValue(instance: PythonValue): number | null {
  // Numbers (most instances checked against a bound) before the class test.
  if (typeof instance === 'number') return instance;
  if (instance instanceof PythonFloat) return instance.value;
  return null;
}

/** Python's `re.search` semantics for `$`: end of text or before a final newline. */
const compiledPatterns = new Map<string, RegExp>();
export function pythonSearch(pattern: string, text: string): boolean {
  return pythonRegex(pattern).test(text);
}

function pythonRegex(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(pattern.replace(/(?<!\\)\$/g, '(?=\\n?$)'), 'u');
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}

/**
 * Whether `iterateErrors` would find no error: the same checks, without
 * building errors. A property test holds the two equal. A yes/no answer does
 * not depend on the order of the keywords, so each schema is turned once
 * into one test per keyword it has, and an instance is run through those.
 */
export function conforms(instance: PythonValue, schema: Schema): boolean {
  return conformanceTest(schema)(instance);
}

type ConformanceTest = (instance: PythonValue) => boolean;

/** Schemas are module constants, so one test each, kept as long as the schema. */
const conformanceTests = new WeakMap<Schema, ConformanceTest>();

function conformanceTest(schema: Schema): ConformanceTest {
  const known = conformanceTests.get(schema);
  if (known !== undefined) return known;
  const test = scalarTest(schema) ?? keywordsTest(schema);
  conformanceTests.set(schema, test);
  return test;
}

/**
 * The tests of the schema's keywords, one after another. The keywords about
 * an object's names (`closedObjectTest`, else `propertyNamesTest`) share one
 * test; when the schema's type is `object`, that test also refuses values
 * that are not objects, and the type keyword gets no test of its own.
 */
function keywordsTest(schema: Schema): ConformanceTest {
  const { type } = schema;
  const objectTyped = type === 'object';
  // A type that admits no object (`["integer", "null"]`) leaves nothing for the keywords about objects to refuse.
  const objectsAdmitted = type === undefined || objectTyped || (typeof type !== 'string' && type.includes('object'));
  const closed = objectsAdmitted ? closedObjectTest(schema, objectTyped) : null;
  const names = !objectsAdmitted ? null : closed === null ? propertyNamesTest(schema, objectTyped) : closed;
  const namesKeywords = closed === null ? NAME_KEYWORDS : CLOSED_OBJECT_KEYWORDS;
  const tests: ConformanceTest[] = [];
  let namesAdded = false;
  for (const keyword of schema.order) {
    if (keyword === 'type' && objectTyped && names !== null) continue;
    if (!objectsAdmitted && OBJECT_KEYWORDS.has(keyword)) continue;
    if (namesKeywords.has(keyword)) {
      if (names !== null && !namesAdded) tests.push(names);
      namesAdded = true;
      continue;
    }
    const test = keywordTest(schema, keyword);
    if (test !== null) tests.push(test);
  }
  return allOf(tests);
}

/**
 * One test for a string's schema (with lengths, pattern, format) or a
 * number's (with bounds), which most of a body's values are checked
 * against, in place of a test per keyword called one after another.
 * `null` for a schema with any other type or keyword.
 */
function scalarTest(schema: Schema): ConformanceTest | null {
  const { type, order } = schema;
  if (type === 'string') {
    if (!order.every((keyword) => STRING_KEYWORDS.has(keyword))) return null;
    const minimum = schema.minLength ?? 0;
    const maximum = schema.maxLength ?? Infinity;
    const matches = schema.pattern === undefined ? null : nameMatcher(schema.pattern);
    const uuid = schema.format === 'uuid';
    return (instance) => {
      if (typeof instance !== 'string') return false;
      // A string of n UTF-16 units has between ceil(n / 2) and n code points: counted only when that does not decide.
      const length = instance.length;
      if (length - (length >> 1) < minimum && codePointCount(instance) < minimum) return false;
      if (length > maximum && codePointCount(instance) > maximum) return false;
      return (matches === null || matches(instance)) && (!uuid || isUuidLike(instance));
    };
  }
  if (type === 'integer' || type === 'number') {
    if (!order.every((keyword) => NUMBER_KEYWORDS.has(keyword))) return null;
    const minimum = schema.minimum ?? -Infinity;
    const maximum = schema.maximum ?? Infinity;
    const integral = type === 'integer';
    return (instance) => {
      let value: number;
      // Numbers (most instances) before the class test; jsonschema counts a float with no fraction (2.0) as an integer.
      if (typeof instance === 'number') value = instance;
      else if (instance instanceof PythonFloat && (!integral || Number.isInteger(instance.value))) value = instance.value;
      else return false;
      // Negated comparisons, so that NaN passes the bounds, as it does in Python.
      return !(value < minimum) && !(value > maximum);
    };
  }
  return null;
}

/** The keywords `scalarTest` checks, per kind of schema. */
const STRING_KEYWORDS: ReadonlySet<string> = new Set(['type', 'minLength', 'maxLength', 'pattern', 'format']);
const NUMBER_KEYWORDS: ReadonlySet<string> = new Set(['type', 'minimum', 'maximum']);

/**
 * The tests one after another. A schema has one to five; called from one
 * place, a loop over them calls closures of every kind, which the engine
 * can neither inline nor predict, so short lists are unrolled.
 */
function allOf(tests: readonly ConformanceTest[]): ConformanceTest {
  const [first, second, third] = tests;
  if (first === undefined) return () => true;
  if (second === undefined) return first;
  if (third === undefined) return (instance) => first(instance) && second(instance);
  if (tests.length === 3) return (instance) => first(instance) && second(instance) && third(instance);
  return (instance) => {
    for (const keywordTest of tests) if (!keywordTest(instance)) return false;
    return true;
  };
}

/** `isType` of one type, chosen once per schema rather than per instance. */
function typeTest(type: SchemaType): ConformanceTest {
  switch (type) {
    case 'object':
      return isObject;
    case 'string':
      return (instance) => typeof instance === 'string';
    case 'array':
      return (instance) => Array.isArray(instance);
    case 'null':
      return (instance) => instance === null;
    case 'integer':
      // `isType`'s test with numbers (most instances) first.
      return (instance) => typeof instance === 'number' || (instance instanceof PythonFloat && Number.isInteger(instance.value));
    default:
      return (instance) => isType(instance, type);
  }
}

/** The test of one keyword of a schema; `null` when it can refuse nothing. */
function keywordTest(schema: Schema, keyword: string): ConformanceTest | null {
  switch (keyword) {
    case 'type': {
      const expected = schema.type;
      if (expected === undefined) return null;
      if (typeof expected === 'string') return typeTest(expected);
      // One test per type, made once: `some` with an arrow would make a closure for every instance.
      const tests = expected.map(typeTest);
      const [first, second] = tests;
      // Two types (`["integer", "null"]`), the usual list, without a loop.
      if (tests.length === 2 && first !== undefined && second !== undefined) return (instance) => first(instance) || second(instance);
      return (instance) => {
        for (const test of tests) if (test(instance)) return true;
        return false;
      };
    }
    case 'properties': {
      if (schema.properties === undefined) return null;
      const properties = Object.entries(schema.properties).map(([name, subschema]) => [name, conformanceTest(subschema)] as const);
      return (instance) => {
        if (!isObject(instance)) return true;
        for (const [name, test] of properties) {
          if (Object.prototype.hasOwnProperty.call(instance, name) && !test(instance[name] ?? null)) return false;
        }
        return true;
      };
    }
    case 'patternProperties':
    case 'additionalProperties':
    case 'minProperties':
      // All three in one test over the names (`keywordsTest`).
      return null;
    case 'required': {
      const required = schema.required ?? [];
      return (instance) => {
        if (!isObject(instance)) return true;
        for (const name of required) if (!Object.prototype.hasOwnProperty.call(instance, name)) return false;
        return true;
      };
    }
    case 'items': {
      if (schema.items === undefined) return null;
      const test = conformanceTest(schema.items);
      return (instance) => {
        if (!Array.isArray(instance)) return true;
        const items: readonly PythonValue[] = instance;
        for (const item of items) if (!test(item)) return false;
        return true;
      };
    }
    case 'minItems': {
      const minimum = schema.minItems ?? 0;
      return (instance) => !Array.isArray(instance) || instance.length >= minimum;
    }
    case 'uniqueItems':
      if (schema.uniqueItems !== true) return null;
      return (instance) => {
        if (!Array.isArray(instance)) return true;
        const items: readonly PythonValue[] = instance;
        return new Set(items.map((item) => pythonRepr(item))).size === items.length;
      };
    case 'minimum': {
      const minimum = schema.minimum;
      if (minimum === undefined) return null;
      return (instance) => {
        const value = numericValue(instance);
        // Written as a negated comparison so that NaN passes, as it does in Python.
        return value === null || !(value < minimum);
      };
    }
    case 'maximum': {
      const maximum = schema.maximum;
      if (maximum === undefined) return null;
      return (instance) => {
        const value = numericValue(instance);
        return value === null || !(value > maximum);
      };
    }
    case 'minLength': {
      const minimum = schema.minLength ?? 0;
      // A string of n UTF-16 units has between ceil(n / 2) and n code points: counted only when that does not decide.
      return (instance) => typeof instance !== 'string' || instance.length - (instance.length >> 1) >= minimum || codePointCount(instance) >= minimum;
    }
    case 'maxLength': {
      const maximum = schema.maxLength ?? Infinity;
      return (instance) => typeof instance !== 'string' || instance.length <= maximum || codePointCount(instance) <= maximum;
    }
    case 'pattern': {
      if (schema.pattern === undefined) return null;
      const matches = nameMatcher(schema.pattern);
      return (instance) => typeof instance !== 'string' || matches(instance);
    }
    case 'format':
      if (schema.format !== 'uuid') return null;
      return (instance) => isUuidLike(instance);
    case 'anyOf': {
      const alternatives = (schema.anyOf ?? []).map((subschema) => conformanceTest(subschema));
      return (instance) => alternatives.some((test) => test(instance));
    }
    default:
      return null;
  }
}

/**
 * `minProperties`, `patternProperties` and `additionalProperties: false`
 * together, over one list of the instance's names: the last two test each
 * name against the same patterns (with a single pattern, the joined
 * alternation that `additionalProperties` tests is that pattern). Each part
 * refuses exactly what its own keyword's test refuses, and a yes/no answer
 * does not depend on the order of the checks. With `objectTyped` (the
 * schema's type is `object`) it refuses values that are not objects too.
 */
function propertyNamesTest(schema: Schema, objectTyped: boolean): ConformanceTest | null {
  const minimum = schema.order.includes('minProperties') ? (schema.minProperties ?? 0) : 0;
  const patternSchemas = schema.order.includes('patternProperties') ? (schema.patternProperties ?? {}) : {};
  const patterns = Object.entries(patternSchemas).map(([pattern, subschema]) => [nameMatcher(pattern), conformanceTest(subschema)] as const);
  const closed = schema.order.includes('additionalProperties') && schema.additionalProperties === false;
  // What a value that is not an object gets: refused only by the type keyword, when this test stands in for it.
  const otherwise = !objectTyped;
  if (patterns.length === 0 && !closed) {
    return minimum <= 0 ? null : (instance) => (isObject(instance) ? hasOwnNames(instance, minimum) : otherwise);
  }
  const properties = schema.properties ?? {};
  const joinedPattern = joinedPatternOf(schema);
  // `null` when the matches of the patterns already tell whether a name matches the alternation.
  const joined = !closed || joinedPattern === null || patterns.length === 1 ? null : nameMatcher(joinedPattern);
  return (instance) => {
    if (!isObject(instance)) return otherwise;
    // Names counted in the same pass, rather than listed first (`Object.keys` copies them into a new
    // array for every object checked); `in` also lists inherited names, which are not the instance's.
    let count = 0;
    for (const name in instance) {
      if (!Object.prototype.hasOwnProperty.call(instance, name)) continue;
      count += 1;
      let matched = false;
      // Indexed: Placement's schemas name one pattern each, and a for-of would make an iterator per name.
      for (let index = 0; index < patterns.length; index += 1) {
        const [matches, test] = patterns[index] as (typeof patterns)[number];
        if (!matches(name)) continue;
        matched = true;
        if (!test(instance[name] ?? null)) return false;
      }
      if (!closed || Object.prototype.hasOwnProperty.call(properties, name)) continue;
      if (joined === null ? !matched : !joined(name)) return false;
    }
    return count >= minimum;
  };
}

/** Whether the object has at least `minimum` own enumerable names (`Object.keys(instance).length >= minimum`), counted without listing them. */
function hasOwnNames(instance: { readonly [key: string]: PythonValue }, minimum: number): boolean {
  let count = 0;
  for (const name in instance) {
    if (!Object.prototype.hasOwnProperty.call(instance, name)) continue;
    count += 1;
    if (count >= minimum) return true;
  }
  return count >= minimum;
}

/**
 * `properties`, `required` and `additionalProperties: false` together, for a
 * schema that has the first and the last and no `patternProperties` or
 * `minProperties` (most of Placement's objects), in one pass over the
 * instance's own names: each must be a declared property (closed), its value
 * must pass that property's test, and the required names met are counted.
 * That refuses exactly what the three tests refuse: a required name that is
 * missing is never met, and one that is present must be declared. With
 * `objectTyped` it refuses values that are not objects too. `null` for
 * other schemas, which get one test per keyword.
 */
function closedObjectTest(schema: Schema, objectTyped: boolean): ConformanceTest | null {
  const order = schema.order;
  if (!order.includes('properties') || !order.includes('additionalProperties') || schema.additionalProperties !== false) return null;
  if (order.includes('patternProperties') || order.includes('minProperties') || schema.properties === undefined) return null;
  const required = new Set(order.includes('required') ? (schema.required ?? []) : []);
  // Declared names in parallel lists, found by a scan: an object declares a handful, and the names met
  // (property names, which the engine keeps one copy of, like the schema's literals) mostly compare by
  // pointer, where a map would hash each.
  const names: string[] = [];
  const tests: ConformanceTest[] = [];
  const requiredFlags: boolean[] = [];
  for (const [name, subschema] of Object.entries(schema.properties)) {
    names.push(name);
    tests.push(conformanceTest(subschema));
    requiredFlags.push(required.has(name));
  }
  const requiredCount = required.size;
  // What a value that is not an object gets: refused only by the type keyword, when this test stands in for it.
  const otherwise = !objectTyped;
  return (instance) => {
    if (!isObject(instance)) return otherwise;
    let met = 0;
    for (const name in instance) {
      if (!Object.prototype.hasOwnProperty.call(instance, name)) continue;
      let position = 0;
      while (position < names.length && names[position] !== name) position += 1;
      if (position === names.length || !(tests[position] as ConformanceTest)(instance[name] ?? null)) return false;
      if (requiredFlags[position] === true) met += 1;
    }
    return met === requiredCount;
  };
}

/** The keywords that refuse only objects. */
const OBJECT_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'patternProperties', 'additionalProperties', 'required', 'minProperties']);

/** The keywords `closedObjectTest` checks. */
const CLOSED_OBJECT_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'required', 'additionalProperties']);

/** The keywords `propertyNamesTest` checks. */
const NAME_KEYWORDS: ReadonlySet<string> = new Set(['patternProperties', 'additionalProperties', 'minProperties']);

type NameMatcher = (text: string) => boolean;

/**
 * `pythonSearch(pattern, ·)`, without the regular expression engine for the
 * patterns Placement names properties and values with: `^[class]{n}$` and
 * `^[class]+$` over ASCII letters, digits, `_` and `-` (a uuid, a resource
 * class). Python's `$` also matches before a final newline. Any other
 * pattern goes to the regular expression. A property test holds the two equal.
 */
export function nameMatcher(pattern: string): NameMatcher {
  const simple = /^\^\[((?:[A-Za-z0-9](?:-[A-Za-z0-9])?|_)*-?)\](\+|\{([1-9][0-9]?)\})\$$/.exec(pattern);
  if (simple === null) {
    const regex = pythonRegex(pattern);
    return (text) => regex.test(text);
  }
  const members = classMembers(simple[1] ?? '');
  const exact = simple[3] === undefined ? null : Number(simple[3]);
  const scan = (text: string): boolean => {
    // Python's `$`: the end, or before a newline that ends the text.
    const length = text.length > 0 && text.charCodeAt(text.length - 1) === NEWLINE ? text.length - 1 : text.length;
    if (exact === null ? length === 0 : length !== exact) return false;
    for (let index = 0; index < length; index += 1) {
      const code = text.charCodeAt(index);
      if (code >= members.length || members[code] !== 1) return false;
    }
    return true;
  };
  if (exact === null || exact < REMEMBERED_LENGTH_MIN) return scan;
  // A long fixed length (a uuid's 36): the texts matched are a run's uuids, the same few in every
  // request and every run, and the engine finds a text it has hashed (a property name) in a set
  // for less than the scan costs. Only matching texts are kept, so a hit answers what the scan
  // would; bounded by wiping.
  const accepted = new Set<string>();
  return (text) => {
    if (text.length !== exact && text.length !== exact + 1) return false;
    if (accepted.has(text)) return true;
    if (!scan(text)) return false;
    if (accepted.size >= ACCEPTED_TEXTS_MAX) accepted.clear();
    accepted.add(text);
    return true;
  };
}

/** The fixed length from which a matcher remembers the texts it matched, and how many. */
const REMEMBERED_LENGTH_MIN = 16;
const ACCEPTED_TEXTS_MAX = 256;

const NEWLINE = 10;

/** The ASCII codes a character class (its text between the brackets) holds, as a 128-entry table. */
function classMembers(text: string): Uint8Array {
  const members = new Uint8Array(128);
  let index = 0;
  while (index < text.length) {
    const low = text.charCodeAt(index);
    if (index + 2 < text.length && text[index + 1] === '-') {
      const high = text.charCodeAt(index + 2);
      for (let code = low; code <= high; code += 1) members[code] = 1;
      index += 3;
    } else {
      members[low] = 1;
      index += 1;
    }
  }
  return members;
}

/** The string's length in code points, as Python counts it (`Array.from(text).length`, without the array). */
function codePointCount(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    // A high surrogate followed by a low one is a single code point.
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
    }
    count += 1;
  }
  return count;
}

function iterateErrors(
  instance: PythonValue,
  schema: Schema,
  path: readonly (string | number)[],
  schemaPath: readonly (string | number)[],
): SchemaError[] {
  const errors: SchemaError[] = [];
  const make = (keyword: string, message: string, context: readonly SchemaError[] = []): SchemaError => ({
    message,
    keyword,
    path,
    schemaPath,
    schema,
    instance,
    context,
  });
  for (const keyword of schema.order) {
    switch (keyword) {
      case 'type': {
        const expected = schema.type;
        if (expected === undefined) break;
        const types = typeof expected === 'string' ? [expected] : expected;
        if (!types.some((type) => isType(instance, type))) {
          errors.push(make('type', `${pythonRepr(instance)} is not of type ${types.map((type) => pythonRepr(type)).join(', ')}`));
        }
        break;
      }
      case 'properties': {
        if (!isObject(instance) || schema.properties === undefined) break;
        for (const [name, subschema] of Object.entries(schema.properties)) {
          if (!Object.prototype.hasOwnProperty.call(instance, name)) continue;
          errors.push(...iterateErrors(instance[name] ?? null, subschema, [...path, name], [...schemaPath, 'properties', name]));
        }
        break;
      }
      case 'patternProperties': {
        if (!isObject(instance) || schema.patternProperties === undefined) break;
        for (const [pattern, subschema] of Object.entries(schema.patternProperties)) {
          for (const [name, value] of Object.entries(instance)) {
            if (pythonSearch(pattern, name)) {
              errors.push(...iterateErrors(value, subschema, [...path, name], [...schemaPath, 'patternProperties', pattern]));
            }
          }
        }
        break;
      }
      case 'additionalProperties': {
        if (!isObject(instance) || schema.additionalProperties !== false) break;
        const extras = additionalProperties(instance, schema);
        if (extras.length === 0) break;
        if (schema.patternProperties !== undefined) {
          const verb = extras.length === 1 ? 'does' : 'do';
          const joined = [...extras].sort().map((extra) => pythonRepr(extra)).join(', ');
          const patterns = Object.keys(schema.patternProperties).sort().map((pattern) => pythonRepr(pattern)).join(', ');
          errors.push(make('additionalProperties', `${joined} ${verb} not match any of the regexes: ${patterns}`));
        } else {
          const verb = extras.length === 1 ? 'was' : 'were';
          // jsonschema's extras_msg sorts the names, as the patternProperties branch does.
          const joined = [...extras].sort().map((extra) => pythonRepr(extra)).join(', ');
          errors.push(make('additionalProperties', `Additional properties are not allowed (${joined} ${verb} unexpected)`));
        }
        break;
      }
      case 'required': {
        if (!isObject(instance)) break;
        for (const name of schema.required ?? []) {
          if (!Object.prototype.hasOwnProperty.call(instance, name)) {
            errors.push(make('required', `${pythonRepr(name)} is a required property`));
          }
        }
        break;
      }
      case 'minProperties': {
        if (isObject(instance) && Object.keys(instance).length < (schema.minProperties ?? 0)) {
          errors.push(make('minProperties', `${pythonRepr(instance)} does not have enough properties`));
        }
        break;
      }
      case 'items': {
        if (!Array.isArray(instance) || schema.items === undefined) break;
        const items: readonly PythonValue[] = instance;
        items.forEach((item, index) => {
          if (schema.items !== undefined) {
            errors.push(...iterateErrors(item, schema.items, [...path, index], [...schemaPath, 'items']));
          }
        });
        break;
      }
      case 'minItems': {
        if (Array.isArray(instance) && instance.length < (schema.minItems ?? 0)) {
          errors.push(make('minItems', `${pythonRepr(instance)} is too short`));
        }
        break;
      }
      case 'uniqueItems': {
        if (schema.uniqueItems === true && Array.isArray(instance)) {
          const seen = new Set(instance.map((item: PythonValue) => pythonRepr(item)));
          if (seen.size !== instance.length) errors.push(make('uniqueItems', `${pythonRepr(instance)} has non-unique elements`));
        }
        break;
      }
      case 'minimum': {
        const value = numericValue(instance);
        if (value !== null && typeof instance !== 'boolean' && schema.minimum !== undefined && value < schema.minimum) {
          errors.push(make('minimum', `${pythonRepr(instance)} is less than the minimum of ${pythonRepr(schemaNumber(schema.minimum))}`));
        }
        break;
      }
      case 'maximum': {
        const value = numericValue(instance);
        if (value !== null && typeof instance !== 'boolean' && schema.maximum !== undefined && value > schema.maximum) {
          errors.push(make('maximum', `${pythonRepr(instance)} is greater than the maximum of ${pythonRepr(schemaNumber(schema.maximum))}`));
        }
        break;
      }
      case 'minLength': {
        if (typeof instance === 'string' && Array.from(instance).length < (schema.minLength ?? 0)) {
          errors.push(make('minLength', `${pythonRepr(instance)} is too short`));
        }
        break;
      }
      case 'maxLength': {
        if (typeof instance === 'string' && Array.from(instance).length > (schema.maxLength ?? Infinity)) {
          errors.push(make('maxLength', `${pythonRepr(instance)} is too long`));
        }
        break;
      }
      case 'pattern': {
        if (typeof instance === 'string' && schema.pattern !== undefined && !pythonSearch(schema.pattern, instance)) {
          errors.push(make('pattern', `${pythonRepr(instance)} does not match ${pythonRepr(schema.pattern)}`));
        }
        break;
      }
      case 'format': {
        // Placement registers its uuid checker for every instance type.
        if (schema.format === 'uuid' && !isUuidLike(instance)) {
          errors.push(make('format', `${pythonRepr(instance)} is not a ${pythonRepr('uuid')}`));
        }
        break;
      }
      case 'anyOf': {
        const collected: SchemaError[] = [];
        let matched = false;
        (schema.anyOf ?? []).forEach((subschema, index) => {
          if (matched) return;
          const subErrors = iterateErrors(instance, subschema, path, [...schemaPath, 'anyOf', index]);
          if (subErrors.length === 0) matched = true;
          else collected.push(...subErrors);
        });
        if (!matched) errors.push(make('anyOf', `${pythonRepr(instance)} is not valid under any of the given schemas`, collected));
        break;
      }
      default:
        break;
    }
  }
  return errors;
}

function schemaNumber(value: number): PythonValue {
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? value : new PythonFloat(value);
}

function additionalProperties(instance: { readonly [key: string]: PythonValue }, schema: Schema): string[] {
  const properties = schema.properties ?? {};
  const joinedPattern = joinedPatternOf(schema);
  return Object.keys(instance).filter((name) => {
    if (Object.prototype.hasOwnProperty.call(properties, name)) return false;
    if (joinedPattern !== null && pythonSearch(joinedPattern, name)) return false;
    return true;
  });
}

/** The schema's property patterns as one alternation (`null` when it has none), made once per schema. */
const joinedPatterns = new WeakMap<Schema, string | null>();
function joinedPatternOf(schema: Schema): string | null {
  const known = joinedPatterns.get(schema);
  if (known !== undefined) return known;
  const patterns = Object.keys(schema.patternProperties ?? {});
  const joined = patterns.length === 0 ? null : patterns.join('|');
  joinedPatterns.set(schema, joined);
  return joined;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}

export type SchemaSpec = Omit<Schema, 'order'>;

/** Records the key order of a schema literal, which decides error order. */
export function defineSchema(spec: SchemaSpec): Schema {
  return { ...spec, order: Object.keys(spec) };
}
