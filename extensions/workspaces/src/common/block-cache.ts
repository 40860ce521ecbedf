import { WorkspaceLocalStore } from './workspace-engine-api';

/**
 * Recently used sealed blocks in the local store's 'blocks' area, bounded in bytes: the least
 * recently used go first. Only ciphertext is kept (blocks as the server stores them).
 */
export class BlockCache {
    /** Cached keys in use order (oldest first), with their sizes. */
    protected readonly sizes = new Map<string, number>();
    protected total = 0;

    constructor(protected readonly store: WorkspaceLocalStore, readonly maxBytes: number) { }

    /** Learns what a previous session left in the store (sizes unknown: counted as `assumedSize`). */
    async adopt(prefix: string, assumedSize: number): Promise<void> {
        for (const key of await this.store.keys('blocks', prefix)) {
            if (!this.sizes.has(key)) {
                this.sizes.set(key, assumedSize);
                this.total += assumedSize;
            }
        }
        await this.evict();
    }

    async get(key: string): Promise<Uint8Array | undefined> {
        const value = await this.store.get('blocks', key);
        if (value && this.sizes.has(key)) {
            this.sizes.delete(key);
            this.sizes.set(key, value.length);
        }
        return value;
    }

    async put(key: string, value: Uint8Array): Promise<void> {
        if (value.length > this.maxBytes) {
            return;
        }
        this.total -= this.sizes.get(key) ?? 0;
        this.sizes.delete(key);
        this.sizes.set(key, value.length);
        this.total += value.length;
        await this.store.put('blocks', key, value);
        await this.evict();
    }

    /** Forgets every block under a prefix (a workspace left). */
    async drop(prefix: string): Promise<void> {
        for (const key of await this.store.keys('blocks', prefix)) {
            this.total -= this.sizes.get(key) ?? 0;
            this.sizes.delete(key);
            await this.store.delete('blocks', key);
        }
    }

    protected async evict(): Promise<void> {
        for (const [key, size] of this.sizes) {
            if (this.total <= this.maxBytes) {
                break;
            }
            this.sizes.delete(key);
            this.total -= size;
            await this.store.delete('blocks', key);
        }
    }
}
