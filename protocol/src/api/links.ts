import { OrganizationId, OrganizationIdSchema } from '../identity';

/**
 * Links that open the workbench on an action:
 * `<public url>/?vouch-action=<action>&vouch-org=<organization>&…`.
 * Query parameters, because Theia keeps the URL hash for the workspace path.
 */
type LinkAction = 'bootstrap' | 'claim' | 'join';

function buildLink(serverUrl: string, action: LinkAction, organizationId: OrganizationId, parameters: Record<string, string>): string {
    const url = new URL(serverUrl);
    url.searchParams.set('vouch-action', action);
    url.searchParams.set('vouch-org', organizationId);
    for (const [name, value] of Object.entries(parameters)) {
        url.searchParams.set(`vouch-${name}`, value);
    }
    return url.toString();
}

/** The link's server and organization when it is a well-formed link for `action`, with a reader of its other parameters. */
function readLink(link: string, action: LinkAction): { serverUrl: string; organizationId: OrganizationId; parameter(name: string): string | undefined } | undefined {
    let url: URL;
    try {
        url = new URL(link);
    } catch {
        return undefined;
    }
    const organizationId = OrganizationIdSchema.safeParse(url.searchParams.get('vouch-org'));
    if (url.searchParams.get('vouch-action') !== action || !organizationId.success) {
        return undefined;
    }
    return { serverUrl: url.origin, organizationId: organizationId.data, parameter: name => url.searchParams.get(`vouch-${name}`) || undefined };
}

/** `?vouch-action=bootstrap&vouch-org=<org>&vouch-token=<token>`: creates the organization's first Administrator. */
export interface BootstrapLink {
    readonly action: 'bootstrap';
    readonly serverUrl: string;
    readonly organizationId: OrganizationId;
    readonly token: string;
}

export function buildBootstrapLink(serverUrl: string, organizationId: OrganizationId, token: string): string {
    return buildLink(serverUrl, 'bootstrap', organizationId, { token });
}

export function parseVouchLink(link: string): BootstrapLink | undefined {
    const read = readLink(link, 'bootstrap');
    const token = read?.parameter('token');
    return read && token ? { action: 'bootstrap', serverUrl: read.serverUrl, organizationId: read.organizationId, token } : undefined;
}

/** `?vouch-action=claim&vouch-org=<org>&vouch-token=<token>`: a guest's invitation link. */
export interface InvitationLink {
    readonly action: 'claim';
    readonly serverUrl: string;
    readonly organizationId: OrganizationId;
    readonly token: string;
}

export function buildInvitationLink(serverUrl: string, organizationId: OrganizationId, token: string): string {
    return buildLink(serverUrl, 'claim', organizationId, { token });
}

export function parseInvitationLink(link: string): InvitationLink | undefined {
    const read = readLink(link, 'claim');
    const token = read?.parameter('token');
    return read && token ? { action: 'claim', serverUrl: read.serverUrl, organizationId: read.organizationId, token } : undefined;
}

/**
 * `?vouch-action=join&vouch-org=<org>&vouch-root=<root verify key>`: the one join request link
 * of an organization. It carries the root verify key, from an Administrator's own device, so
 * the requester's client checks the certificates it receives from that key, never from the
 * server.
 */
export interface JoinLink {
    readonly action: 'join';
    readonly serverUrl: string;
    readonly organizationId: OrganizationId;
    readonly rootVerifyKey: string;
}

export function buildJoinLink(serverUrl: string, organizationId: OrganizationId, rootVerifyKey: string): string {
    return buildLink(serverUrl, 'join', organizationId, { root: rootVerifyKey });
}

export function parseJoinLink(link: string): JoinLink | undefined {
    const read = readLink(link, 'join');
    const root = read?.parameter('root');
    return read && root && /^[A-Za-z0-9_-]{43}$/.test(root)
        ? { action: 'join', serverUrl: read.serverUrl, organizationId: read.organizationId, rootVerifyKey: root }
        : undefined;
}
