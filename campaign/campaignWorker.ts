/**
 * A campaign worker thread: makes the runs the main thread sends it, one at a
 * time, and answers each with its digest (the failure report already
 * written). An exception is a harness bug: it goes back with the seed that
 * raised it instead of vanishing with the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerData } from './campaignWorkers.ts';
import { runAndDigest } from './runDigest.ts';

const port = parentPort;
if (port === null) throw new Error('campaignWorker.ts runs as a worker thread, started by CampaignWorkers');
// Set by CampaignWorkers, the only code that starts this file.
const { settings } = workerData as WorkerData;

port.on('message', (message: ToWorker) => {
  let reply: FromWorker;
  try {
    reply = { kind: 'digest', digest: runAndDigest(message.seed, settings) };
  } catch (error) {
    reply = { kind: 'failed', seed: message.seed, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  try {
    port.postMessage(reply);
  } catch (error) {
    // A digest that cannot be cloned is a harness bug too: say which seed.
    const text = error instanceof Error ? error.message : String(error);
    port.postMessage({ kind: 'failed', seed: message.seed, message: `its digest could not be sent: ${text}` } satisfies FromWorker);
  }
});
