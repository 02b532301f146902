/**
 * Compares the model's response with the real service's after
 * normalisation, and says where they differ.
 */
import type { HttpResponse } from '../../model/index.ts';
import { canonicalJson, errorCode, JsonFloat, normaliseResponse, type Json, type NormalisedBody } from './normaliseResponse.ts';

export interface Difference {
  /** `status`, `header location`, `body $.errors[0].detail`, ... */
  readonly where: string;
  readonly model: string;
  readonly real: string;
}

export type Comparison = { readonly kind: 'match' } | { readonly kind: 'mismatch'; readonly differences: readonly Difference[] };

/** Differences reported per mismatch, at most: the first few locate it. */
const DIFFERENCES_MAX = 8;

export function compareResponses(model: HttpResponse, real: HttpResponse): Comparison {
  const left = normaliseResponse(model, { body: false });
  const right = normaliseResponse(real, { body: false });
  const differences: Difference[] = [];
  if (left.status !== right.status) differences.push({ where: 'status', model: String(left.status), real: String(right.status) });
  const headerNames = [...new Set([...Object.keys(left.headers), ...Object.keys(right.headers)])].sort();
  for (const name of headerNames) {
    const modelValue = left.headers[name];
    const realValue = right.headers[name];
    if (modelValue !== realValue) differences.push({ where: `header ${name}`, model: String(modelValue), real: String(realValue) });
  }
  // Fast path: most bodies are byte for byte the same once the request id is out, and
  // equal bytes normalise equally; only differing ones are parsed and walked.
  if (withoutRequestId(model.body) !== withoutRequestId(real.body)) {
    const modelCode = errorCode(model);
    const realCode = errorCode(real);
    if (modelCode !== realCode) differences.splice(statusDifferences(differences), 0, { where: 'error code', model: String(modelCode), real: String(realCode) });
    compareBodies(model, real, differences);
  }
  return differences.length === 0 ? { kind: 'match' } : { kind: 'mismatch', differences: differences.slice(0, DIFFERENCES_MAX) };
}

/** Where the error code's difference goes: right after the status, before the headers. */
function statusDifferences(differences: readonly Difference[]): number {
  return differences.length > 0 && differences[0]?.where === 'status' ? 1 : 0;
}

/** Request ids appear only in error documents, which normalisation drops them from. */
function withoutRequestId(body: string): string {
  return body.replace(/"request_id": "[^"]*"/g, '"request_id": ""');
}

function compareBodies(modelResponse: HttpResponse, realResponse: HttpResponse, differences: Difference[]): void {
  const model = normaliseResponse(modelResponse).body;
  const real = normaliseResponse(realResponse).body;
  if (model.kind === 'json' && real.kind === 'json') {
    compareJson('$', model.value, real.value, differences);
    return;
  }
  const modelText = bodyText(model);
  const realText = bodyText(real);
  if (model.kind !== real.kind || modelText !== realText) differences.push({ where: `body (${model.kind} vs ${real.kind})`, model: modelText, real: realText });
}

function bodyText(body: NormalisedBody): string {
  switch (body.kind) {
    case 'empty':
      return '';
    case 'json':
      return canonicalJson(body.value);
    case 'text':
      return body.text;
    default:
      return assertNever(body);
  }
}

function isObject(value: Json): value is { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonFloat);
}

/** Walks both values together so that a difference names the innermost place it shows. */
function compareJson(path: string, model: Json, real: Json, differences: Difference[]): void {
  if (differences.length >= DIFFERENCES_MAX) return;
  if (isObject(model) && isObject(real)) {
    const names = [...new Set([...Object.keys(model), ...Object.keys(real)])].sort();
    for (const name of names) {
      const inModel = Object.prototype.hasOwnProperty.call(model, name);
      const inReal = Object.prototype.hasOwnProperty.call(real, name);
      const child = `${path}.${name}`;
      if (!inModel || !inReal) {
        differences.push({ where: `body ${child}`, model: inModel ? canonicalJson(model[name] ?? null) : '(absent)', real: inReal ? canonicalJson(real[name] ?? null) : '(absent)' });
        continue;
      }
      compareJson(child, model[name] ?? null, real[name] ?? null, differences);
    }
    return;
  }
  if (Array.isArray(model) && Array.isArray(real) && model.length === real.length) {
    const modelItems = model as readonly Json[];
    const realItems = real as readonly Json[];
    modelItems.forEach((item, index) => compareJson(`${path}[${index}]`, item, realItems[index] ?? null, differences));
    return;
  }
  const modelText = canonicalJson(model);
  const realText = canonicalJson(real);
  if (modelText !== realText) differences.push({ where: `body ${path}`, model: modelText, real: realText });
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
