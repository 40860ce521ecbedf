import { OrganizationId, OrganizationIdSchema } from '../identity';

/**
 * Links that open the workbench on an action:
 * `<public url>/?vouch-action=<action>&vouch-org=<organization>&…`.
 * Query parameters, because Theia keeps the URL hash for the workspace path.
 *
 * The desktop app receives the same links from the operating system in the `vouch:` scheme:
 * `vouch://<host>[:<port>][/<path>]?vouch-action=…` names a server on https, or on http with
 * `vouch-no-tls=1` (Parsec's `no_ssl`, for a server on loopback). Both forms read the same.
 */
export type LinkAction = 'bootstrap' | 'claim' | 'join' | 'join-return';

export const VOUCH_LINK_SCHEME = 'vouch';
const PARAMETER_PREFIX = 'vouch-';
const ACTION_PARAMETER = 'vouch-action';
const NO_TLS_PARAMETER = 'vouch-no-tls';

function buildLink(serverUrl: string, action: LinkAction, organizationId: OrganizationId, parameters: Record<string, string>): string {
    const url = new URL(serverUrl);
    url.searchParams.set(ACTION_PARAMETER, action);
    url.searchParams.set('vouch-org', organizationId);
    for (const [name, value] of Object.entries(parameters)) {
        url.searchParams.set(`${PARAMETER_PREFIX}${name}`, value);
    }
    return url.toString();
}

/** The address as a URL with its server's http(s) origin, in either form; undefined for anything else. */
function readAddress(link: string): { url: URL; serverUrl: string } | undefined {
    let url: URL;
    try {
        url = new URL(link);
    } catch {
        return undefined;
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') {
        return { url, serverUrl: url.origin };
    }
    if (url.protocol !== `${VOUCH_LINK_SCHEME}:` || !url.host) {
        return undefined;
    }
    try {
        const tls = url.searchParams.get(NO_TLS_PARAMETER) !== '1';
        return { url, serverUrl: new URL(`${tls ? 'https' : 'http'}://${url.host}`).origin };
    } catch {
        return undefined;
    }
}

/** The action a link asks for, well-formed or not; undefined when the address is no Vouch link at all. */
export function linkAction(link: string): string | undefined {
    return readAddress(link)?.url.searchParams.get(ACTION_PARAMETER) ?? undefined;
}

/** True for an http(s) or `vouch:` address that carries a `vouch-action`: what the workbench's link handler takes. */
export function isVouchLink(link: string): boolean {
    return linkAction(link) !== undefined;
}

/** The address without its Vouch parameters (what the address bar keeps once the link was taken). */
export function withoutLinkParameters(link: string): string {
    const url = new URL(link);
    for (const name of [...url.searchParams.keys()]) {
        if (name.startsWith(PARAMETER_PREFIX)) {
            url.searchParams.delete(name);
        }
    }
    return url.toString();
}

/**
 * The same link in the `vouch:` scheme, for the operating system to hand to the desktop app;
 * undefined when the link is not an http(s) Vouch link.
 */
export function toVouchSchemeLink(link: string): string | undefined {
    const read = readAddress(link);
    if (!read || read.url.protocol === `${VOUCH_LINK_SCHEME}:` || !read.url.searchParams.has(ACTION_PARAMETER)) {
        return undefined;
    }
    const url = new URL(`${VOUCH_LINK_SCHEME}://${read.url.host}${read.url.pathname}${read.url.search}`);
    if (read.url.protocol === 'http:') {
        url.searchParams.set(NO_TLS_PARAMETER, '1');
    }
    return url.toString();
}

interface ReadLink {
    readonly serverUrl: string;
    readonly organizationId: OrganizationId;
    parameter(name: string): string | undefined;
}

/** The link's server and organization when it is a well-formed link for `action`, with a reader of its other parameters. */
function readLink(link: string, action: LinkAction, organization: 'required' | 'optional' = 'required'): ReadLink | undefined {
    const read = readAddress(link);
    if (!read || read.url.searchParams.get(ACTION_PARAMETER) !== action) {
        return undefined;
    }
    const given = read.url.searchParams.get('vouch-org');
    const organizationId = OrganizationIdSchema.safeParse(given);
    if (!organizationId.success && (organization === 'required' || given !== null)) {
        return undefined;
    }
    return {
        serverUrl: read.serverUrl,
        organizationId: organizationId.success ? organizationId.data : '',
        parameter: name => read.url.searchParams.get(`${PARAMETER_PREFIX}${name}`) || undefined
    };
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

export function parseBootstrapLink(link: string): BootstrapLink | undefined {
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

/**
 * `?vouch-action=join-return&vouch-join-result=<submitted | error code>[&vouch-org=<org>][&vouch-join-message=<text>]`:
 * where the organization server sends the requester's browser back from an identity provider.
 * The organization is named only when the request was stored.
 */
export interface JoinReturnLink {
    readonly action: 'join-return';
    readonly serverUrl: string;
    readonly organizationId?: OrganizationId;
    /** `submitted`, or the code of the refusal. */
    readonly result: string;
    readonly message?: string;
}

export function parseJoinReturnLink(link: string): JoinReturnLink | undefined {
    const read = readLink(link, 'join-return', 'optional');
    const result = read?.parameter('join-result');
    if (!read || !result) {
        return undefined;
    }
    const message = read.parameter('join-message');
    return {
        action: 'join-return', serverUrl: read.serverUrl, result,
        ...(read.organizationId ? { organizationId: read.organizationId } : {}), ...(message ? { message } : {})
    };
}

export type VouchLink = BootstrapLink | InvitationLink | JoinLink | JoinReturnLink;

const PARSERS: Record<LinkAction, (link: string) => VouchLink | undefined> = {
    bootstrap: parseBootstrapLink,
    claim: parseInvitationLink,
    join: parseJoinLink,
    'join-return': parseJoinReturnLink
};

/** Any well-formed Vouch link, in either form; undefined for an unknown action or a malformed link. */
export function parseLink(link: string): VouchLink | undefined {
    const action = linkAction(link);
    return action !== undefined && Object.prototype.hasOwnProperty.call(PARSERS, action) ? PARSERS[action as LinkAction](link) : undefined;
}
