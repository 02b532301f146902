// A worker thread starts without the TypeScript loader the main thread runs
// under (tsx registers it per thread), so each campaign worker registers it
// here before importing its TypeScript entry point.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
