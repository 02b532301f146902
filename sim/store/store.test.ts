import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import { Store, type Transaction } from './store.ts';

/**
 * A read-once transaction reused by the store (beginReadOnce / endReadOnce)
 * behaves as a new read-only transaction (begin(label, true) / rollback):
 * same ids, same open transactions, same endings, same rows seen.
 */
describe('Store read-once transactions', () => {
  it('number, open and end as new read-only transactions do, whatever the interleaving', () => {
    for (let seed = 0; seed < 50; seed += 1) {
      const random = new Random(`store-read-once/${seed}`);
      const reused = new Store('snapshot');
      const fresh = new Store('snapshot');
      const openReused: Transaction[] = [];
      const openFresh: Transaction[] = [];
      for (let step = 0; step < 200; step += 1) {
        const action = random.integer(0, 2);
        if (action === 0 || openReused.length === 0) {
          const label = `read ${step}`;
          const left = reused.beginReadOnce(label);
          const right = fresh.begin(label, true);
          expect({ id: left.id, label: left.label, status: left.status, snapshot: left.snapshot, locks: left.locks }).toEqual({
            id: right.id,
            label: right.label,
            status: right.status,
            snapshot: right.snapshot,
            locks: right.locks,
          });
          openReused.push(left);
          openFresh.push(right);
        } else if (action === 1) {
          const index = random.integer(0, openReused.length - 1);
          const left = openReused.splice(index, 1)[0] as Transaction;
          const right = openFresh.splice(index, 1)[0] as Transaction;
          reused.endReadOnce(left);
          fresh.rollback(right);
        } else {
          // A write transaction in between, committed, so later snapshots differ.
          for (const store of [reused, fresh]) {
            const writer = store.begin('write');
            store.write(writer, [`consumer:${step}`], (_view, changes) => {
              changes.putConsumer({ uuid: `c${step}`, projectId: 'p', userId: 'u', consumerType: null, generation: 0 });
              return null;
            }, undefined);
            store.commit(writer);
          }
        }
        expect(reused.oldestActive()?.id).toBe(fresh.oldestActive()?.id);
        expect(reused.endedTransactions).toBe(fresh.endedTransactions);
        for (let index = 0; index < openReused.length; index += 1) {
          const left = reused.read(openReused[index] as Transaction, (view) => view.consumers().map((row) => row.uuid), undefined);
          const right = fresh.read(openFresh[index] as Transaction, (view) => view.consumers().map((row) => row.uuid), undefined);
          expect(left).toEqual(right);
        }
      }
    }
  });
});
