import { EntryNameSchema } from '@vouch/protocol';
import { WorkspaceError } from './workspace-engine-api';

/**
 * Paths inside one workspace: absolute, '/'-separated, '/' its root folder. Every name is one a
 * person could type (EntryNameSchema); anything else names nothing.
 */

/** The names from the root down; [] for the root. Repeated or trailing separators are tolerated. */
export function pathSegments(path: string): string[] {
    if (!path.startsWith('/')) {
        throw new WorkspaceError('FileNotFound', `Not a path inside a workspace: ${path}`);
    }
    const segments = path.split('/').filter(segment => segment.length > 0);
    for (const segment of segments) {
        if (!EntryNameSchema.safeParse(segment).success) {
            throw new WorkspaceError('FileNotFound', `Not a file name: ${segment}`);
        }
    }
    return segments;
}

export function joinPath(parent: string, name: string): string {
    return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** The parent folder's path and the last name; the root has neither. */
export function splitParent(path: string): { parent: string; name: string } {
    const segments = pathSegments(path);
    if (segments.length === 0) {
        throw new WorkspaceError('NoPermissions', 'The root folder of a workspace cannot be created, moved or deleted');
    }
    return { parent: '/' + segments.slice(0, -1).join('/'), name: segments[segments.length - 1] };
}

/** Whether `path` is `ancestor` itself or inside it. */
export function isSameOrInside(path: string, ancestor: string): boolean {
    const a = pathSegments(ancestor);
    const p = pathSegments(path);
    return a.length <= p.length && a.every((segment, i) => p[i] === segment);
}
