// A worker thread starts without the TypeScript loader the main thread runs
// under (tsx registers it per thread), so each worker (the campaign's, and
// the bench's simulation thread) registers it here before importing its
// TypeScript entry point, named by `workerData.entry`.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
