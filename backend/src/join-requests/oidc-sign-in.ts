import { randomBytes } from 'crypto';
import * as client from 'openid-client';
import { fail, JoinRequestPayload, joinRequestDigest, ok, Outcome, VerifiedIdentity } from '@vouch/protocol';
import { OidcConfig } from './join-requests-config';
import { JoinRequestsRepository } from './join-requests-repository';
import { JoinRequestError } from './join-requests-types';

/** A sign-in may take this long at the provider. */
export const SIGN_IN_TTL_MS = 10 * 60 * 1000;

export interface VerifiedSignIn {
    readonly payload: JoinRequestPayload;
    readonly identity: VerifiedIdentity & { method: 'oidc' | 'saml' };
}

function isLoopback(url: string): boolean {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
}

/**
 * OpenID Connect relying party (authorization code + PKCE). The nonce is the digest of the
 * payload, so the ID token the provider signs names the submitted keys. openid-client 6 only
 * checks the ID token's signature with non-repudiation checks on: they are always on here.
 */
export class OidcSignIn {
    readonly label: string;
    protected configuration?: Promise<client.Configuration>;

    constructor(protected readonly config: OidcConfig, protected readonly attempts: Pick<JoinRequestsRepository, 'saveAttempt' | 'takeAttempt'>) {
        this.label = config.label;
    }

    /** Discovery happens on first use (the provider may start after us) and is retried after a failure. */
    protected client(): Promise<client.Configuration> {
        if (!this.configuration) {
            const execute = [client.enableNonRepudiationChecks];
            // Plain http only on loopback (tests, a provider on the same machine).
            if (isLoopback(this.config.issuer)) {
                execute.push(client.allowInsecureRequests);
            }
            const metadata: Partial<client.ClientMetadata> = {
                ...(this.config.clientSecret ? { client_secret: this.config.clientSecret } : {}),
                ...(this.config.userinfoSignedResponseAlg ? { userinfo_signed_response_alg: this.config.userinfoSignedResponseAlg } : {})
            };
            this.configuration = client.discovery(new URL(this.config.issuer), this.config.clientId, metadata,
                this.config.clientSecret ? client.ClientSecretBasic(this.config.clientSecret) : client.None(), { execute });
            this.configuration.catch(() => { this.configuration = undefined; });
        }
        return this.configuration;
    }

    async begin(payload: JoinRequestPayload, now: number): Promise<{ redirectUrl: string }> {
        const configuration = await this.client();
        const state = randomBytes(24).toString('base64url');
        const verifier = client.randomPKCECodeVerifier();
        await this.attempts.saveAttempt({ id: `oidc:${state}`, organizationId: payload.organizationId, method: 'oidc', payload, secret: verifier, expiresOn: now + SIGN_IN_TTL_MS });
        const url = client.buildAuthorizationUrl(configuration, {
            redirect_uri: this.config.redirectUrl,
            scope: this.config.scopes,
            state,
            nonce: joinRequestDigest(payload),
            code_challenge: await client.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256',
            login_hint: payload.email,
            ...(this.config.acrValues ? { acr_values: this.config.acrValues } : {})
        });
        return { redirectUrl: url.toString() };
    }

    /** The provider sent the browser back to the callback with a code (or an error). */
    async complete(callbackUrl: URL, now: number): Promise<Outcome<VerifiedSignIn, JoinRequestError>> {
        const refuse = (message: string) => fail<JoinRequestError>({ code: 'JOIN_PROOF_INVALID', message });
        const state = callbackUrl.searchParams.get('state');
        const attempt = state ? await this.attempts.takeAttempt(`oidc:${state}`, now) : undefined;
        if (!attempt || attempt.method !== 'oidc' || !attempt.secret) {
            return refuse('This sign-in is unknown, expired or was already used; start the request again');
        }
        if (callbackUrl.searchParams.has('error')) {
            return refuse(`The identity provider refused the sign-in: ${callbackUrl.searchParams.get('error_description') ?? callbackUrl.searchParams.get('error')}`);
        }
        let claims: client.IDToken | undefined;
        let accessToken: string;
        try {
            const tokens = await client.authorizationCodeGrant(await this.client(), callbackUrl, {
                pkceCodeVerifier: attempt.secret,
                expectedState: state!,
                expectedNonce: joinRequestDigest(attempt.payload),
                idTokenExpected: true
            }, { redirect_uri: this.config.redirectUrl });
            claims = tokens.claims();
            accessToken = tokens.access_token;
        } catch (error) {
            return refuse(`The identity provider's answer did not verify: ${describe(error)}`);
        }
        if (!claims) {
            return refuse('The identity provider sent no ID token');
        }
        let email = typeof claims.email === 'string' ? claims.email : undefined;
        let verified = claims.email_verified;
        let name = typeof claims.name === 'string' ? claims.name : undefined;
        if (email === undefined) {
            // ProConnect and others put the email in userinfo only (checked against the ID token's subject).
            try {
                const info = await client.fetchUserInfo(await this.client(), accessToken, claims.sub);
                email = typeof info.email === 'string' ? info.email : undefined;
                verified = info.email_verified ?? (this.config.userinfoSignedResponseAlg ? true : undefined);
                name = name ?? ([info.given_name, info.usual_name ?? info.family_name].filter(part => typeof part === 'string').join(' ') || undefined);
            } catch (error) {
                return refuse(`The identity provider's user information did not verify: ${describe(error)}`);
            }
        }
        if (!email) {
            return refuse('The identity provider did not tell the email address');
        }
        if (verified !== true) {
            return refuse(`The identity provider has not verified ${email}`);
        }
        return ok({
            payload: attempt.payload,
            identity: { method: 'oidc', issuer: claims.iss, subject: claims.sub, email: email.toLowerCase(), ...(name ? { name } : {}) }
        });
    }
}

/** openid-client wraps the precise reason (bad signature, claim) in `cause`. */
function describe(error: unknown): string {
    if (!(error instanceof Error)) {
        return String(error);
    }
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return cause && cause !== error.message ? `${error.message} (${cause})` : error.message;
}
