import { CancellationToken } from '@theia/core';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { FileUploadServiceImpl } from '@theia/filesystem/lib/browser/upload/file-upload-service-impl';
import { VouchFileSystemProviderFactory } from './vouch-file-service-contribution';
import { VouchUri } from './vouch-uri';

/**
 * Theia's upload (a drop from the computer, "Upload Files…") posts each file to the backend,
 * which writes it to its own disk: a `vouch:` folder is not there. Into a Vouch workspace the
 * file is read here, chunk by chunk, and given to the engine, which encrypts it in this browser;
 * Theia's upload keeps its confirmation, progress and Cancel.
 */
@injectable()
export class VouchFileUploadService extends FileUploadServiceImpl {
    @inject(VouchFileSystemProviderFactory) protected readonly vouchFileSystem: VouchFileSystemProviderFactory;

    protected override uploadFile(file: File, targetUri: URI, token: CancellationToken, leaveInTemp: boolean | undefined,
        onProgress: (total: number, done: number) => void): { upload: Promise<void>; response: Promise<void> } {
        if (targetUri.scheme !== VouchUri.SCHEME) {
            return super.uploadFile(file, targetUri, token, leaveInTemp, onProgress);
        }
        const upload = (async () => {
            const parent = targetUri.parent;
            if (!await this.fileService.exists(parent)) {
                await this.fileService.createFolder(parent);
            }
            await this.vouchFileSystem().writeFileStream(targetUri, file.size, chunksOf(file), {
                token,
                onProgress: (done, total) => onProgress(total, done)
            });
        })();
        return { upload, response: upload };
    }
}

/** A file's bytes as they are read, one chunk at a time. */
async function* chunksOf(file: File): AsyncIterable<Uint8Array> {
    const reader = file.stream().getReader();
    try {
        for (; ;) {
            const { done, value } = await reader.read();
            if (done) {
                return;
            }
            yield value;
        }
    } finally {
        reader.releaseLock();
    }
}
