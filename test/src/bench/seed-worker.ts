/** Worker-thread entry: signs the batches seed.ts hands it, so signing uses every core while the database writes. */
import { parentPort } from 'worker_threads';
import { Certificate } from '@vouch/protocol';
import { signBatch } from './seed-batch';

parentPort!.on('message', (work: { contents: Certificate[]; secretKey: Uint8Array }) => parentPort!.postMessage(signBatch(work.contents, work.secretKey)));
