/**
 * Law: a successful allocation write adds 1 to the generation of every
 * consumer it names (a new consumer is written at 1), keeps the consumers
 * it gives allocations and deletes the ones it empties; DELETE removes the
 * consumer it names; nothing else touches consumers' presence or
 * generation.
 */
import { consumerUuid } from '../modelSession.ts';
import { attemptedWrite, type ConsumerWriteSpec } from '../requestSpec.ts';
import { succeeded, type StepLaw } from './stepLaw.ts';

export const consumerGenerations: StepLaw = {
  name: 'consumer generations change exactly when the rules say',
  check: (step) => {
    const write = succeeded(step) ? attemptedWrite(step.spec) : null;
    const named = new Map<string, ConsumerWriteSpec>();
    if (write?.kind === 'putAllocations') named.set(consumerUuid(write.write.consumer), write.write);
    if (write?.kind === 'postAllocations') for (const entry of write.writes) named.set(consumerUuid(entry.consumer), entry);
    const deleted = write?.kind === 'deleteAllocations' ? consumerUuid(write.consumer) : null;
    const uuids = new Set([...step.before.consumers.keys(), ...step.after.consumers.keys(), ...named.keys()]);
    for (const uuid of uuids) {
      const before = step.before.consumers.get(uuid);
      const after = step.after.consumers.get(uuid);
      const entry = named.get(uuid);
      if (entry !== undefined) {
        if (entry.allocations.length === 0 && after !== undefined) return `consumer ${uuid} was emptied but still exists`;
        if (entry.allocations.length > 0 && after === undefined) return `consumer ${uuid} was written but does not exist`;
        if (after !== undefined && after.generation !== (before?.generation ?? 0) + 1) {
          return `consumer ${uuid} generation ${before?.generation ?? 'none'} -> ${after.generation}, expected +1`;
        }
      } else if (uuid === deleted) {
        if (after !== undefined) return `consumer ${uuid} survived DELETE`;
      } else if (before?.generation !== after?.generation) {
        return `consumer ${uuid} changed from ${before?.generation ?? 'none'} to ${after?.generation ?? 'none'} without being named`;
      }
    }
    return null;
  },
};
