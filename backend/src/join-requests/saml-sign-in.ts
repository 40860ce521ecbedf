import { CacheProvider, SAML, SamlConfig as NodeSamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import { fail, JoinRequestPayload, joinRequestSamlId, ok, Outcome } from '@vouch/protocol';
import { SamlConfig } from './join-requests-config';
import { JoinRequestsRepository } from './join-requests-repository';
import { JoinRequestError } from './join-requests-types';
import { SIGN_IN_TTL_MS, VerifiedSignIn } from './oidc-sign-in';

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

/**
 * SAML service provider (HTTP-Redirect request, HTTP-POST response) with @node-saml/node-saml.
 * The AuthnRequest ID is `_` + the payload's digest, so the assertion's InResponseTo — under
 * the IdP's signature — names the submitted keys. Signed assertions only; InResponseTo must be
 * a request we made and not yet answered (stored in the database, so any instance can answer);
 * each assertion ID is accepted once.
 */
export class SamlSignIn {
    readonly label: string;
    protected readonly verifier: SAML;

    constructor(protected readonly config: SamlConfig, protected readonly repository: Pick<JoinRequestsRepository, 'saveAttempt' | 'findAttempt' | 'takeAttempt' | 'recordUsedAssertion'>,
        protected readonly clock: () => number) {
        this.label = config.label;
        this.verifier = new SAML(this.options(() => '_unused'));
    }

    protected options(generateUniqueId: () => string): NodeSamlConfig {
        const attempts = this.repository;
        const clock = this.clock;
        // node-saml asks the cache whether InResponseTo names a request of ours; we keep them as attempts.
        const cacheProvider: CacheProvider = {
            saveAsync: async (_key, value) => ({ value, createdAt: clock() }),
            // node-saml reads the value as the time the request was made.
            getAsync: async key => {
                const attempt = await attempts.findAttempt(`saml:${key}`, clock());
                return attempt ? new Date(attempt.expiresOn - SIGN_IN_TTL_MS).toISOString() : null;
            },
            removeAsync: async () => null
        };
        return {
            entryPoint: this.config.entryPoint,
            issuer: this.config.spEntityId,
            callbackUrl: this.config.acsUrl,
            audience: this.config.spEntityId,
            idpCert: [...this.config.idpCertificates],
            ...(this.config.idpIssuer ? { idpIssuer: this.config.idpIssuer } : {}),
            wantAssertionsSigned: true,
            wantAuthnResponseSigned: false,
            validateInResponseTo: ValidateInResponseTo.always,
            requestIdExpirationPeriodMs: SIGN_IN_TTL_MS,
            acceptedClockSkewMs: 30_000,
            maxAssertionAgeMs: SIGN_IN_TTL_MS,
            identifierFormat: EMAIL_FORMAT,
            disableRequestedAuthnContext: true,
            generateUniqueId,
            cacheProvider
        };
    }

    async begin(payload: JoinRequestPayload, now: number): Promise<{ redirectUrl: string }> {
        const requestId = joinRequestSamlId(payload);
        await this.repository.saveAttempt({ id: `saml:${requestId}`, organizationId: payload.organizationId, method: 'saml', payload, expiresOn: now + SIGN_IN_TTL_MS });
        const redirectUrl = await new SAML(this.options(() => requestId)).getAuthorizeUrlAsync('', undefined, {});
        return { redirectUrl };
    }

    async complete(form: Record<string, string>, now: number): Promise<Outcome<VerifiedSignIn, JoinRequestError>> {
        const refuse = (message: string) => fail<JoinRequestError>({ code: 'JOIN_PROOF_INVALID', message });
        if (typeof form.SAMLResponse !== 'string') {
            return refuse('No SAML response was posted');
        }
        let profile;
        try {
            ({ profile } = await this.verifier.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse }));
        } catch (error) {
            return refuse(`The identity provider's answer did not verify: ${error instanceof Error ? error.message : String(error)}`);
        }
        const inResponseTo = typeof profile?.inResponseTo === 'string' ? profile.inResponseTo : undefined;
        if (!profile || !inResponseTo) {
            return refuse('The SAML response answers no request of ours');
        }
        // node-saml does not expose the (signed) assertion's ID: read it from the assertion it verified.
        const assertionId = /^\s*<[^>]*?\sID="([^"]+)"/.exec(profile.getAssertionXml?.() ?? '')?.[1];
        if (!assertionId || !await this.repository.recordUsedAssertion(`${profile.issuer}|${assertionId}`, now + 2 * SIGN_IN_TTL_MS)) {
            return refuse('This SAML assertion was already used');
        }
        // Whoever takes the attempt owns it: a response replayed on another instance finds nothing.
        const attempt = await this.repository.takeAttempt(`saml:${inResponseTo}`, now);
        if (!attempt || attempt.method !== 'saml' || joinRequestSamlId(attempt.payload) !== inResponseTo) {
            return refuse('This sign-in is unknown, expired or was already used; start the request again');
        }
        const email = [profile.email, profile.mail, profile['urn:oid:0.9.2342.19200300.100.1.3'], profile.nameIDFormat === EMAIL_FORMAT ? profile.nameID : undefined]
            .find((candidate): candidate is string => typeof candidate === 'string' && candidate.includes('@'));
        if (!email) {
            return refuse('The identity provider did not tell the email address');
        }
        const name = [profile.displayName, profile.cn, profile['urn:oid:2.16.840.1.113730.3.1.241']].find((candidate): candidate is string => typeof candidate === 'string');
        return ok({
            payload: attempt.payload,
            identity: { method: 'saml', issuer: profile.issuer, nameId: profile.nameID, email: email.toLowerCase(), ...(name ? { name } : {}) }
        });
    }

    metadata(): string {
        return this.verifier.generateServiceProviderMetadata(null);
    }
}
