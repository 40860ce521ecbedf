import { WorkspaceError } from './workspace-engine-api';

/** A file's content as `writeFile` takes it: whole, or as chunks with the total size known in advance. */
export type FileContent = Uint8Array | { readonly size: number; readonly chunks: AsyncIterable<Uint8Array> };

export function contentSize(content: FileContent): number {
    return content instanceof Uint8Array ? content.length : content.size;
}

/**
 * Cuts content into blocks of exactly `blockSize` bytes (the last one shorter; none for an empty
 * file), whatever the sizes of the chunks it comes in. Holds at most one block (plus one chunk)
 * in memory. Content that does not come to its announced size is refused.
 */
export async function* contentBlocks(content: FileContent, blockSize: number): AsyncGenerator<Uint8Array> {
    if (content instanceof Uint8Array) {
        for (let offset = 0; offset < content.length; offset += blockSize) {
            yield content.subarray(offset, Math.min(content.length, offset + blockSize));
        }
        return;
    }
    let buffer = new Uint8Array(Math.min(blockSize, content.size));
    let filled = 0;
    let total = 0;
    for await (const chunk of content.chunks) {
        total += chunk.length;
        if (total > content.size) {
            throw new WorkspaceError('Unavailable', `The content is longer than its announced ${content.size} bytes`);
        }
        let offset = 0;
        while (offset < chunk.length) {
            const take = Math.min(buffer.length - filled, chunk.length - offset);
            buffer.set(chunk.subarray(offset, offset + take), filled);
            filled += take;
            offset += take;
            if (filled === buffer.length) {
                yield buffer;
                buffer = new Uint8Array(Math.min(blockSize, content.size - total + (chunk.length - offset)));
                filled = 0;
            }
        }
    }
    if (total !== content.size) {
        throw new WorkspaceError('Unavailable', `The content ended after ${total} of its announced ${content.size} bytes`);
    }
    if (filled > 0) {
        yield buffer.subarray(0, filled);
    }
}
