import { isVouchLink, parseLink } from '@vouch/protocol';

/**
 * What a person typed when the desktop app asked where their organization's server is: its
 * address (`vouch.example.org`, `https://vouch.example.org:8443`), or a link they received
 * (http(s) or `vouch://`), which names its server and is then opened.
 */
export type ServerAnswer =
    | { readonly kind: 'server'; readonly serverUrl: string }
    | { readonly kind: 'link'; readonly serverUrl: string; readonly link: string }
    | { readonly kind: 'invalid'; readonly problem: 'empty' | 'broken-link' | 'not-an-address' };

/**
 * A DNS name (internationalized ones arrive in punycode), an IPv4 address or a bracketed IPv6
 * one. Checked by hand: Chromium's URL parser lets through host names that WHATWG's refuses.
 */
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;

export function readServerAnswer(typed: string): ServerAnswer {
    const text = typed.trim();
    if (!text) {
        return { kind: 'invalid', problem: 'empty' };
    }
    if (isVouchLink(text)) {
        const link = parseLink(text);
        return link ? { kind: 'link', serverUrl: link.serverUrl, link: text } : { kind: 'invalid', problem: 'broken-link' };
    }
    // A bare host name means https, as in a browser's address bar.
    const address = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
    try {
        const url = new URL(address);
        if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !HOST_NAME.test(url.hostname) || url.username || url.password) {
            return { kind: 'invalid', problem: 'not-an-address' };
        }
        return { kind: 'server', serverUrl: url.origin };
    } catch {
        return { kind: 'invalid', problem: 'not-an-address' };
    }
}
