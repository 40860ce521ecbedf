/** Worker-thread entry: signs the batches seed.ts hands it, so signing uses every core while the database writes. */
import { parentPort } from 'worker_threads';
import { BatchParams, signUserBatch } from './seed-batch';

parentPort!.on('message', (params: BatchParams) => parentPort!.postMessage(signUserBatch(params)));
