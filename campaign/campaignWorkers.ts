/**
 * A pool of worker threads making a campaign's runs. Seeds are handed out in
 * order, a couple at a time per worker so none waits for the next; digests
 * come back in whatever order the threads finish, and are passed on strictly
 * in seed order, each as soon as every seed before it is in. Because each run
 * depends on its seed alone, the digests (and so a campaign's output) are the
 * same as with one thread.
 */
import { Worker } from 'node:worker_threads';
import type { DigestSettings, RunDigest } from './runDigest.ts';
import type { CampaignSeeds } from './runCampaign.ts';

/** What a worker is started with. */
export interface WorkerData {
  readonly entry: string;
  readonly settings: DigestSettings;
}

export type ToWorker = { readonly kind: 'run'; readonly seed: string };

export type FromWorker =
  | { readonly kind: 'digest'; readonly digest: RunDigest }
  | { readonly kind: 'failed'; readonly seed: string; readonly message: string };

export interface WorkerHooks {
  /** Asked before each seed is handed out; true hands out no more. */
  readonly shouldStop: () => boolean;
  readonly onDigest: (digest: RunDigest) => void;
}

/** Seeds each worker holds at once: one running, one waiting. */
const SEEDS_PER_WORKER = 2;

export class CampaignWorkers {
  private readonly workers: readonly Worker[];

  constructor(count: number, settings: DigestSettings) {
    const workerData: WorkerData = { entry: new URL('./campaignWorker.ts', import.meta.url).href, settings };
    this.workers = Array.from({ length: count }, () => new Worker(new URL('./workerBootstrap.mjs', import.meta.url), { workerData }));
  }

  /** Makes the runs of `seeds`; resolves to true when it stopped before the last, rejects on a harness bug. */
  run(seeds: CampaignSeeds, hooks: WorkerHooks): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const finished = new Map<number, RunDigest>();
      // Per worker, the indices of the seeds it holds, oldest first (a worker answers in order).
      const held = new Map<Worker, number[]>(this.workers.map((worker) => [worker, []]));
      let nextToSend = 0;
      let nextToPass = 0;
      let stopped = false;
      let settled = false;

      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      const settleIfDone = (): void => {
        if (settled || nextToPass < nextToSend) return;
        if (nextToSend < seeds.count && !stopped) return;
        settled = true;
        resolve(stopped);
      };
      const send = (worker: Worker): void => {
        const holding = held.get(worker) ?? [];
        while (!settled && !stopped && nextToSend < seeds.count && holding.length < SEEDS_PER_WORKER) {
          if (hooks.shouldStop()) {
            stopped = true;
            break;
          }
          const seed = seeds.at(nextToSend);
          holding.push(nextToSend);
          nextToSend += 1;
          worker.postMessage({ kind: 'run', seed } satisfies ToWorker);
        }
      };
      const receive = (worker: Worker, message: FromWorker): void => {
        const index = held.get(worker)?.shift();
        if (index === undefined) return fail(new Error('a campaign worker answered a seed it was not given'));
        switch (message.kind) {
          case 'failed':
            return fail(new Error(`seed ${message.seed}: ${message.message}`));
          case 'digest':
            finished.set(index, message.digest);
            break;
          default:
            return assertNever(message);
        }
        try {
          for (let digest = finished.get(nextToPass); digest !== undefined; digest = finished.get(nextToPass)) {
            finished.delete(nextToPass);
            nextToPass += 1;
            hooks.onDigest(digest);
          }
        } catch (error) {
          return fail(error instanceof Error ? error : new Error(String(error)));
        }
        send(worker);
        settleIfDone();
      };

      for (const worker of this.workers) {
        worker.on('message', (message: FromWorker) => receive(worker, message));
        worker.on('error', (error) => fail(error));
        worker.on('exit', (code) => {
          if ((held.get(worker)?.length ?? 0) > 0) fail(new Error(`a campaign worker exited (code ${code}) with runs unfinished`));
        });
      }
      for (const worker of this.workers) send(worker);
      settleIfDone();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled worker message: ${JSON.stringify(value)}`);
}
