import { WorkspaceLocalStore } from './workspace-engine-api';

type Area = 'manifests' | 'blocks' | 'pending';

/** A local store in memory, for tests and benchmarks: what a page reload would keep is what a test keeps this object for. */
export class MemoryWorkspaceLocalStore implements WorkspaceLocalStore {
    protected readonly areas: Record<Area, Map<string, Uint8Array>> = { manifests: new Map(), blocks: new Map(), pending: new Map() };

    async get(area: Area, key: string): Promise<Uint8Array | undefined> {
        const value = this.areas[area].get(key);
        return value && value.slice();
    }

    async put(area: Area, key: string, value: Uint8Array): Promise<void> {
        this.areas[area].set(key, value.slice());
    }

    async delete(area: Area, key: string): Promise<void> {
        this.areas[area].delete(key);
    }

    async keys(area: Area, prefix: string): Promise<string[]> {
        return [...this.areas[area].keys()].filter(key => key.startsWith(prefix)).sort();
    }

    /** Bytes held in an area (tests check the cache stays bounded). */
    bytes(area: Area): number {
        return [...this.areas[area].values()].reduce((sum, value) => sum + value.length, 0);
    }
}
