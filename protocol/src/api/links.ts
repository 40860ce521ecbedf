import { OrganizationId, OrganizationIdSchema } from '../identity';

/**
 * Links that open the workbench on an action: `<public url>/?vouch-action=bootstrap&vouch-org=Acme&vouch-token=…`.
 * Query parameters, because Theia keeps the URL hash for the workspace path.
 */
export interface BootstrapLink {
    readonly action: 'bootstrap';
    readonly serverUrl: string;
    readonly organizationId: OrganizationId;
    readonly token: string;
}

export function buildBootstrapLink(serverUrl: string, organizationId: OrganizationId, token: string): string {
    const url = new URL(serverUrl);
    url.searchParams.set('vouch-action', 'bootstrap');
    url.searchParams.set('vouch-org', organizationId);
    url.searchParams.set('vouch-token', token);
    return url.toString();
}

export function parseVouchLink(link: string): BootstrapLink | undefined {
    let url: URL;
    try {
        url = new URL(link);
    } catch {
        return undefined;
    }
    const organizationId = OrganizationIdSchema.safeParse(url.searchParams.get('vouch-org'));
    const token = url.searchParams.get('vouch-token');
    if (url.searchParams.get('vouch-action') !== 'bootstrap' || !organizationId.success || !token) {
        return undefined;
    }
    return { action: 'bootstrap', serverUrl: url.origin, organizationId: organizationId.data, token };
}

/** `<public url>/?vouch-action=claim&vouch-org=<org>&vouch-token=<token>`: a guest's invitation link. */
export interface InvitationLink {
    readonly action: 'claim';
    readonly serverUrl: string;
    readonly organizationId: OrganizationId;
    readonly token: string;
}

export function buildInvitationLink(serverUrl: string, organizationId: OrganizationId, token: string): string {
    const url = new URL(serverUrl);
    url.searchParams.set('vouch-action', 'claim');
    url.searchParams.set('vouch-org', organizationId);
    url.searchParams.set('vouch-token', token);
    return url.toString();
}

export function parseInvitationLink(link: string): InvitationLink | undefined {
    let url: URL;
    try {
        url = new URL(link);
    } catch {
        return undefined;
    }
    const organizationId = OrganizationIdSchema.safeParse(url.searchParams.get('vouch-org'));
    const token = url.searchParams.get('vouch-token');
    if (url.searchParams.get('vouch-action') !== 'claim' || !organizationId.success || !token) {
        return undefined;
    }
    return { action: 'claim', serverUrl: url.origin, organizationId: organizationId.data, token };
}

/**
 * `<public url>/?vouch-action=join&vouch-org=<org>&vouch-root=<root verify key>`: the one join
 * request link of an organization. It carries the root verify key, from an Administrator's own
 * device, so the requester's client checks the certificates it receives from that key, never
 * from the server.
 */
export interface JoinLink {
    readonly action: 'join';
    readonly serverUrl: string;
    readonly organizationId: OrganizationId;
    readonly rootVerifyKey: string;
}

export function buildJoinLink(serverUrl: string, organizationId: OrganizationId, rootVerifyKey: string): string {
    const url = new URL(serverUrl);
    url.searchParams.set('vouch-action', 'join');
    url.searchParams.set('vouch-org', organizationId);
    url.searchParams.set('vouch-root', rootVerifyKey);
    return url.toString();
}

export function parseJoinLink(link: string): JoinLink | undefined {
    let url: URL;
    try {
        url = new URL(link);
    } catch {
        return undefined;
    }
    const organizationId = OrganizationIdSchema.safeParse(url.searchParams.get('vouch-org'));
    const root = url.searchParams.get('vouch-root');
    if (url.searchParams.get('vouch-action') !== 'join' || !organizationId.success || !root || !/^[A-Za-z0-9_-]{43}$/.test(root)) {
        return undefined;
    }
    return { action: 'join', serverUrl: url.origin, organizationId: organizationId.data, rootVerifyKey: root };
}
