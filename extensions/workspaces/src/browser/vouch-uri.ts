import URI from '@theia/core/lib/common/uri';
import { WorkspaceId, WorkspaceIdSchema } from '@vouch/protocol';

/**
 * Files of Vouch workspaces as the workbench names them: `vouch:/<workspaceId>/<path>`. The
 * workspace's id (not its name, which is secret from the server and may change) is the first
 * segment; the rest is the path inside the workspace, '/' being its root folder.
 */
export const VOUCH_SCHEME = 'vouch';

export interface VouchLocation {
    readonly workspaceId: WorkspaceId;
    /** Absolute inside the workspace, normalized ('/a/b', '/' for its root). */
    readonly path: string;
}

export const VouchUri = {
    SCHEME: VOUCH_SCHEME,
    root,
    create,
    parse,
    isRoot
};

function root(workspaceId: WorkspaceId): URI {
    return create(workspaceId, '/');
}

function create(workspaceId: WorkspaceId, path: string): URI {
    const inside = path === '/' || path === '' ? '' : (path.startsWith('/') ? path : '/' + path);
    return new URI().withScheme(VOUCH_SCHEME).withPath(`/${workspaceId}${inside}`);
}

/** The workspace and path a `vouch:` URI names; undefined for another scheme or no workspace id. */
function parse(uri: URI): VouchLocation | undefined {
    if (uri.scheme !== VOUCH_SCHEME) {
        return undefined;
    }
    const segments = uri.path.toString().split('/').filter(segment => segment.length > 0);
    const workspaceId = WorkspaceIdSchema.safeParse(segments.shift());
    if (!workspaceId.success) {
        return undefined;
    }
    const inside: string[] = [];
    for (const segment of segments) {
        if (segment === '..') {
            // Never above the workspace's root.
            inside.pop();
        } else if (segment !== '.') {
            inside.push(segment);
        }
    }
    return { workspaceId: workspaceId.data, path: '/' + inside.join('/') };
}

function isRoot(uri: URI): boolean {
    return parse(uri)?.path === '/';
}
