import { EntryId, FolderManifest } from '@vouch/protocol';

/**
 * Merging a folder this client changed with the version another member stored meanwhile: both
 * sides' changes are kept. What this client added or moved in goes in unless the other side put
 * another entry under that name (then it goes in under `renameOnClash`), what it removed goes out
 * unless the other side re-pointed that name, and the rest is theirs.
 */
export function mergeFolder(base: FolderManifest | undefined, local: FolderManifest, remote: FolderManifest,
    renameOnClash: (name: string, taken: (candidate: string) => boolean) => string): FolderManifest {
    const baseChildren: Record<string, EntryId> = base?.children ?? {};
    const children: Record<string, EntryId> = { ...remote.children };
    const taken = (candidate: string) => candidate in children;
    for (const [name, entryId] of Object.entries(baseChildren)) {
        if (local.children[name] !== entryId && children[name] === entryId) {
            delete children[name];
        }
    }
    for (const [name, entryId] of Object.entries(local.children)) {
        if (baseChildren[name] === entryId || children[name] === entryId) {
            continue;
        }
        if (name in children && children[name] !== baseChildren[name]) {
            children[renameOnClash(name, taken)] = entryId;
        } else {
            children[name] = entryId;
        }
    }
    const name = local.name !== base?.name ? local.name : remote.name;
    return {
        ...remote, children, updated: Math.max(local.updated, remote.updated), updatedBy: local.updatedBy,
        ...(name !== undefined ? { name } : {})
    };
}
