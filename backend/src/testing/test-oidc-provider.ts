import * as http from 'http';
import { AddressInfo } from 'net';
import { generateKeyPairSync, KeyObject, sign } from 'crypto';
import { Provider } from 'oidc-provider';

export interface TestAccount {
    readonly sub: string;
    readonly email: string;
    readonly email_verified: boolean;
    readonly name?: string;
}

/** A real OpenID provider (oidc-provider) on loopback that logs in `nextAccount` without a browser. */
export interface TestOidcProvider {
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecret: string;
    /** Who the next sign-in logs in as. */
    nextAccount: TestAccount;
    /** Rewrites the ID token the token endpoint returns (forgeries); undefined: untouched. */
    tamper?: (idToken: string) => string;
    /** The provider's own signing key, to make validly signed but wrong tokens. */
    readonly signingKey: KeyObject;
    close(): Promise<void>;
}

export async function startTestOidcProvider(redirectUrl: string): Promise<TestOidcProvider> {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
    const server = http.createServer();
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const accounts = new Map<string, TestAccount>();
    const idp: TestOidcProvider = {
        issuer, clientId: 'vouch', clientSecret: 'vouch-test-secret', signingKey: privateKey,
        nextAccount: { sub: 'nobody', email: 'nobody@example.com', email_verified: true },
        close: async () => {
            server.closeAllConnections();
            await new Promise(resolve => server.close(resolve));
        }
    };
    const provider = new Provider(issuer, {
        clients: [{
            client_id: idp.clientId, client_secret: idp.clientSecret, redirect_uris: [redirectUrl],
            response_types: ['code'], grant_types: ['authorization_code'], token_endpoint_auth_method: 'client_secret_basic'
        }],
        jwks: { keys: [jwk] },
        findAccount: async (_ctx: unknown, sub: string) => accounts.has(sub) ? { accountId: sub, claims: async () => accounts.get(sub) } : undefined,
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        conformIdTokenClaims: false,
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
        pkce: { required: () => true },
        cookies: { keys: ['vouch-test-cookie-key'] },
        ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Interaction: 300, Session: 300, Grant: 300 }
    });
    provider.use(async (ctx: { path: string; body?: { id_token?: string } }, next: () => Promise<void>) => {
        await next();
        if (ctx.path === '/token' && idp.tamper && ctx.body?.id_token) {
            ctx.body = { ...ctx.body, id_token: idp.tamper(ctx.body.id_token) };
        }
    });
    const callback = provider.callback();
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
        if (request.url?.startsWith('/interaction/')) {
            (async () => {
                const details = await provider.interactionDetails(request, response);
                const account = idp.nextAccount;
                accounts.set(account.sub, account);
                const grant = new provider.Grant({ accountId: account.sub, clientId: details.params.client_id });
                grant.addOIDCScope(details.params.scope);
                const grantId = await grant.save();
                await provider.interactionFinished(request, response, { login: { accountId: account.sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
            })().catch(error => response.writeHead(500).end(String(error)));
            return;
        }
        callback(request, response);
    });
    return idp;
}

/** A JWT signed RS256 with `key` under the given kid. */
export function signJwt(claims: object, key: KeyObject, kid = 'test-key'): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export function jwtClaims(token: string): Record<string, unknown> {
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/**
 * A browser without a screen: follows redirects with cookies until the workbench URL
 * (`stopAt`), and returns that URL. Every hop is bounded.
 */
export async function followRedirects(start: string, stopAt: string, hops = 12): Promise<URL> {
    const cookies = new Map<string, string>();
    let url = start;
    for (let hop = 0; hop < hops; hop++) {
        if (url.startsWith(stopAt)) {
            return new URL(url);
        }
        const response = await fetch(url, {
            redirect: 'manual',
            headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
            signal: AbortSignal.timeout(10_000)
        });
        for (const header of response.headers.getSetCookie()) {
            const [pair] = header.split(';');
            const index = pair.indexOf('=');
            cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1));
        }
        const location = response.headers.get('location');
        if (response.status < 300 || response.status >= 400 || !location) {
            throw new Error(`${url} answered ${response.status}, not a redirect: ${(await response.text()).slice(0, 300)}`);
        }
        url = new URL(location, url).toString();
    }
    throw new Error(`more than ${hops} redirects from ${start}`);
}

/** A free loopback port (the server's public URL must be known before it starts). */
export async function freePort(): Promise<number> {
    const probe = http.createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise(resolve => probe.close(resolve));
    return port;
}
