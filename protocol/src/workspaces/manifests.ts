import { z } from 'zod';
import { canonicalJson, CanonicalValue } from '../canonical-json';
import { base64UrlBytes, WorkspaceId } from '../certificates/certificate-types';
import { openSecretBox, sealSecretBox } from '../crypto/secret-box';
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '../encoding';
import { randomBytes } from '../crypto/random';

/**
 * What a workspace holds, as its members' clients see it: a tree of folder and file manifests,
 * each sealed under the workspace's current key (the server stores ciphertext and a version),
 * and file data in blocks, each under its own random key kept in its file's manifest.
 */

export const EntryIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'Not an entry id');
export type EntryId = z.infer<typeof EntryIdSchema>;

/** The root folder of every workspace; its manifest carries the workspace's name. */
export const ROOT_ENTRY_ID: EntryId = '0'.repeat(32);

export function newEntryId(): EntryId {
    return Array.from(randomBytes(16), byte => byte.toString(16).padStart(2, '0')).join('');
}

/** A file or folder name: what a person types, without separators or the names of nothing. */
export const EntryNameSchema = z.string().min(1).max(255)
    .refine(name => !name.includes('/') && !name.includes('\\') && !name.includes(String.fromCharCode(0)) && name !== '.' && name !== '..', 'Not a file name');

export const BlockRefSchema = z.object({
    id: EntryIdSchema,
    /** The block's own key (base64url, 32 bytes). */
    key: base64UrlBytes(32, 'A block key'),
    size: z.number().int().min(0)
}).strict();
export type BlockRef = z.infer<typeof BlockRefSchema>;

const common = {
    /** ms since epoch of the last change, and the device that made it. */
    updated: z.number().int().nonnegative(),
    updatedBy: z.string().max(64)
};

export const FolderManifestSchema = z.object({
    kind: z.literal('folder'),
    ...common,
    /** The workspace's name, on the root folder only. */
    name: z.string().min(1).max(255).optional(),
    /** Children by name. */
    children: z.record(EntryNameSchema, EntryIdSchema)
}).strict();
export type FolderManifest = z.infer<typeof FolderManifestSchema>;

export const FileManifestSchema = z.object({
    kind: z.literal('file'),
    ...common,
    size: z.number().int().min(0),
    blocks: z.array(BlockRefSchema)
}).strict();
export type FileManifest = z.infer<typeof FileManifestSchema>;

export const ManifestSchema = z.discriminatedUnion('kind', [FolderManifestSchema, FileManifestSchema]);
export type Manifest = z.infer<typeof ManifestSchema>;

/** Where a manifest is sealed: a box opens only for its workspace, entry and key index. */
export interface ManifestPlace {
    readonly workspaceId: WorkspaceId;
    readonly entryId: EntryId;
    readonly keyIndex: number;
}

function manifestAd(place: ManifestPlace): Uint8Array {
    return utf8Encode(`vouch/manifest/v1\n${place.workspaceId}\n${place.entryId}\n${place.keyIndex}`);
}

export function sealManifest(key: Uint8Array, place: ManifestPlace, manifest: Manifest): string {
    return toBase64Url(sealSecretBox(key, utf8Encode(canonicalJson(manifest as unknown as CanonicalValue)), manifestAd(place)));
}

/** The manifest, or undefined when the box does not open for this key and place or holds no manifest. */
export function openManifest(key: Uint8Array, place: ManifestPlace, sealed: string): Manifest | undefined {
    const bytes = fromBase64Url(sealed);
    const opened = bytes && openSecretBox(key, bytes, manifestAd(place));
    if (!opened) {
        return undefined;
    }
    try {
        const parsed = ManifestSchema.safeParse(JSON.parse(utf8Decode(opened)));
        return parsed.success ? parsed.data : undefined;
    } catch {
        return undefined;
    }
}

/**
 * The same sealed manifest moved to another key (a re-encryption): opened under `from`, its bytes
 * sealed again under `to`, without parsing them. Undefined when it does not open.
 */
export function resealManifest(fromKey: Uint8Array, from: ManifestPlace, toKey: Uint8Array, to: ManifestPlace, sealed: string): string | undefined {
    const bytes = fromBase64Url(sealed);
    const opened = bytes && openSecretBox(fromKey, bytes, manifestAd(from));
    return opened ? toBase64Url(sealSecretBox(toKey, opened, manifestAd(to))) : undefined;
}

/** Blocks of at most this size: a block travels in one message under the server's limit (1 MiB). */
export const BLOCK_SIZE = 512 * 1024;
