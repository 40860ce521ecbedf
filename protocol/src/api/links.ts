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
