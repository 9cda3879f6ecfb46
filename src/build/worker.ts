/**
 * A render worker thread (node:worker_threads): src/build/serve.ts's loop on the thread's port;
 * the bytes go back to the main thread transferred, not copied, and the main thread writes them.
 */

import { parentPort } from 'node:worker_threads';
import { serveJobs } from './serve.js';

const port = parentPort;
if (!port) throw new Error('src/build/worker is a worker_threads module, not a script');

serveJobs({
  onJob: (take) => port.on('message', take),
  answer: (result, transfer) => port.postMessage(result, [...transfer]),
});
