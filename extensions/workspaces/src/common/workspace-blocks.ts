import { CancellationToken } from '@theia/core/lib/common/cancellation';
import {
    ApiError, BLOCK_SIZE, BLOCKS_PER_BATCH, BlockCipher, BlockRef, FileManifest, fromBase64Url, newBlockKey, newEntryId, Reply, toBase64Url, WorkspaceId
} from '@vouch/protocol';
import { z } from 'zod';
import { BlockCache } from './block-cache';
import { contentBlocks, contentSize, FileContent } from './block-stream';
import {
    TransferOptions, WorkspaceConnection, WorkspaceEngineRequest, workspaceEngineRequests, WorkspaceEngineResponses, WorkspaceError, WorkspaceLocalStore
} from './workspace-engine-api';

/** Blocks of one file on their way at once (up or down). */
export const TRANSFER_WINDOW = 4;
/** Sealed blocks up to this size go in batches (putInBatch); ten of them stay far under the server's message limit. */
const BATCHED_BLOCK_MAX = 64 * 1024;

/** Errors of the connection itself (not a refusal): the engine waits for the next connection. */
export class ConnectionFault extends Error { }

/** A request; a broken connection becomes a ConnectionFault. */
export async function callServer<K extends WorkspaceEngineRequest>(connection: WorkspaceConnection, name: K, payload: z.input<typeof workspaceEngineRequests[K]>):
    Promise<Reply<WorkspaceEngineResponses[K]>> {
    try {
        return await connection.request(name, payload);
    } catch (error) {
        throw new ConnectionFault(error instanceof Error ? error.message : String(error));
    }
}

export function checkCancelled(token: CancellationToken | undefined): void {
    if (token?.isCancellationRequested) {
        throw new WorkspaceError('Cancelled', 'Cancelled');
    }
}

/** A refusal of the server, as a file system error. */
export function refusal(error: ApiError): WorkspaceError {
    return new WorkspaceError(error.code === 'NOT_ALLOWED' || error.code === 'WORKSPACE_NOT_FOUND' ? 'NoPermissions' : 'Unavailable', error.message, error);
}

/**
 * The blocks of one workspace's files: sealed each under its own new key as the content is cut,
 * sent a few at a time (small ones ten per request), kept in the store's 'pending' area when the
 * server cannot be reached and sent later, read back through the bounded cache with read-ahead.
 */
export class WorkspaceBlocks {
    /** Blocks sealed and kept locally, not yet on the server. */
    readonly pending = new Set<string>();
    protected readonly batched: { blockId: string; data: Uint8Array; resolve: (reply: Reply<{ readonly count: number }>) => void; reject: (error: unknown) => void }[] = [];
    protected batchTimer: ReturnType<typeof setTimeout> | undefined;

    constructor(
        protected readonly host: { readonly connection: WorkspaceConnection; readonly store: WorkspaceLocalStore; readonly cipher: BlockCipher; readonly cache: BlockCache },
        readonly workspaceId: WorkspaceId
    ) { }

    protected pendingBlockKey(blockId: string): string {
        return `${this.workspaceId}/block/${blockId}`;
    }

    /** What a previous session left unsent. */
    async load(): Promise<void> {
        const prefix = `${this.workspaceId}/block/`;
        for (const key of await this.host.store.keys('pending', prefix)) {
            this.pending.add(key.slice(prefix.length));
        }
    }

    protected call<K extends WorkspaceEngineRequest>(name: K, payload: z.input<typeof workspaceEngineRequests[K]>): Promise<Reply<WorkspaceEngineResponses[K]>> {
        return callServer(this.host.connection, name, payload);
    }

    /** A file's content, block by block, a few fetched ahead. */
    async *read(file: FileManifest, options: TransferOptions): AsyncGenerator<Uint8Array> {
        let done = 0;
        options.onProgress?.(0, file.size);
        // A few blocks fetched ahead, so the network, the server and the cipher overlap; memory stays bounded by the window.
        const ahead: Promise<Uint8Array>[] = [];
        let next = 0;
        // A file larger than a quarter of the cache would only push everything else out of it.
        const cache = file.size <= this.host.cache.maxBytes / 4;
        for (let i = 0; i < file.blocks.length; i++) {
            checkCancelled(options.token);
            while (ahead.length < TRANSFER_WINDOW && next < file.blocks.length) {
                const fetching = this.readBlock(file.blocks[next++], cache);
                fetching.catch(() => undefined);
                ahead.push(fetching);
            }
            const data = await ahead.shift()!;
            done += data.length;
            options.onProgress?.(done, file.size);
            yield data;
        }
    }

    protected async readBlock(block: BlockRef, cache: boolean): Promise<Uint8Array> {
        const cacheKey = `${this.workspaceId}/${block.id}`;
        let sealed = await this.host.cache.get(cacheKey) ?? await this.host.store.get('pending', this.pendingBlockKey(block.id));
        if (!sealed) {
            const reply = await this.call('workspaces.getBlock', { workspaceId: this.workspaceId, blockId: block.id });
            if (!reply.ok) {
                throw refusal(reply.error);
            }
            sealed = new Uint8Array(reply.value.data);
            if (cache) {
                await this.host.cache.put(cacheKey, sealed);
            }
        }
        const opened = await this.host.cipher.open(fromBase64Url(block.key)!, this.workspaceId, block.id, sealed);
        if (!opened || opened.length !== block.size) {
            throw new WorkspaceError('Unavailable', 'A block of this file does not open with its key: it was altered, or is not this file\'s');
        }
        return opened;
    }

    /** Seals and sends the content block by block (kept locally when the server cannot be reached); the window's blocks in memory at most. */
    async write(content: FileContent, options: TransferOptions): Promise<BlockRef[]> {
        const total = contentSize(content);
        const cache = total <= this.host.cache.maxBytes / 4;
        const refs: BlockRef[] = [];
        const keptHere: string[] = [];
        const inFlight: Promise<void>[] = [];
        let done = 0;
        const store = async (blockId: string, sealed: Uint8Array, size: number) => {
            if (!await this.send(blockId, sealed, cache)) {
                await this.host.store.put('pending', this.pendingBlockKey(blockId), sealed);
                this.pending.add(blockId);
                keptHere.push(blockId);
            }
            done += size;
            options.onProgress?.(done, total);
        };
        options.onProgress?.(0, total);
        try {
            for await (const data of contentBlocks(content, BLOCK_SIZE)) {
                checkCancelled(options.token);
                const blockId = newEntryId();
                const key = newBlockKey();
                const sealed = await this.host.cipher.seal(key, this.workspaceId, blockId, data);
                refs.push({ id: blockId, key: toBase64Url(key), size: data.length });
                // A few blocks on their way at once; at most the window's sealed blocks wait in memory.
                inFlight.push(store(blockId, sealed, data.length));
                if (inFlight.length >= TRANSFER_WINDOW) {
                    await inFlight.shift();
                }
            }
            await Promise.all(inFlight);
            checkCancelled(options.token);
        } catch (error) {
            await Promise.allSettled(inFlight);
            // Blocks no manifest will name: nothing to sync.
            for (const blockId of keptHere) {
                this.pending.delete(blockId);
                await this.host.store.delete('pending', this.pendingBlockKey(blockId));
            }
            throw error;
        }
        return refs;
    }

    /** True when the server stored the block; false when it could not be reached (the caller keeps it). */
    async send(blockId: string, sealed: Uint8Array, cache = true): Promise<boolean> {
        if (!this.host.connection.connected) {
            return false;
        }
        let reply;
        try {
            reply = sealed.length <= BATCHED_BLOCK_MAX
                ? await this.putInBatch(blockId, sealed)
                : await this.call('workspaces.putBlock', { workspaceId: this.workspaceId, blockId, data: sealed });
        } catch (error) {
            if (error instanceof ConnectionFault) {
                return false;
            }
            throw error;
        }
        if (!reply.ok) {
            throw refusal(reply.error);
        }
        if (cache) {
            await this.host.cache.put(`${this.workspaceId}/${blockId}`, sealed);
        }
        return true;
    }

    /**
     * Small blocks sent within one turn of the event loop go together, up to ten per request: one
     * role check and one transaction on the server for many small files written at once.
     */
    protected putInBatch(blockId: string, data: Uint8Array): Promise<Reply<{ readonly count: number }>> {
        return new Promise((resolve, reject) => {
            this.batched.push({ blockId, data, resolve, reject });
            if (this.batched.length >= BLOCKS_PER_BATCH) {
                this.sendBatch();
            } else {
                this.batchTimer ??= setTimeout(() => this.sendBatch(), 0);
            }
        });
    }

    protected sendBatch(): void {
        if (this.batchTimer !== undefined) {
            clearTimeout(this.batchTimer);
            this.batchTimer = undefined;
        }
        const taken = this.batched.splice(0, BLOCKS_PER_BATCH);
        if (taken.length > 0) {
            this.call('workspaces.putBlocks', { workspaceId: this.workspaceId, blocks: taken.map(one => ({ blockId: one.blockId, data: one.data })) })
                .then(reply => taken.forEach(one => one.resolve(reply)), error => taken.forEach(one => one.reject(error)));
        }
        if (this.batched.length > 0) {
            this.batchTimer = setTimeout(() => this.sendBatch(), 0);
        }
    }

    /** Sends what waits in the store, a few at a time; throws ConnectionFault when the connection drops meanwhile. */
    async sendWaiting(): Promise<void> {
        const waiting = [...this.pending];
        // A few at a time: small ones share a request, large ones overlap.
        for (let offset = 0; offset < waiting.length; offset += TRANSFER_WINDOW) {
            const sent = await Promise.all(waiting.slice(offset, offset + TRANSFER_WINDOW).map(async blockId => {
                const sealed = await this.host.store.get('pending', this.pendingBlockKey(blockId));
                if (sealed && !await this.send(blockId, sealed)) {
                    return false;
                }
                this.pending.delete(blockId);
                await this.host.store.delete('pending', this.pendingBlockKey(blockId));
                return true;
            }));
            if (sent.includes(false)) {
                throw new ConnectionFault('The connection dropped while sending blocks');
            }
        }
    }

    dispose(): void {
        if (this.batchTimer !== undefined) {
            clearTimeout(this.batchTimer);
        }
        this.batched.splice(0).forEach(one => one.reject(new ConnectionFault('The workspace was closed')));
    }
}
