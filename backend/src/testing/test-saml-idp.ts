import * as samlify from 'samlify';
import { issueRsa, TestIdentity } from './test-pki';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

// The SP under test validates with its own XML checks; samlify's schema check is not what is tested.
samlify.setSchemaValidator({ validate: async () => 'skipped' });

export interface TestSamlIdp {
    readonly entityId: string;
    readonly ssoUrl: string;
    readonly certificate: TestIdentity;
    /** Answers the AuthnRequest carried by `redirectUrl` as the IdP would, for `email`; base64 SAMLResponse. */
    respond(redirectUrl: string, email: string, options?: RespondOptions): Promise<string>;
}

export interface RespondOptions {
    /** SP as the IdP believes it is: sign the assertion, or only the message. */
    readonly assertionSigned?: boolean;
    readonly audience?: string;
    /** Shifts every time of the response (negative: an old, expired response). */
    readonly shiftMs?: number;
}

/** A samlify identity provider (in process) with a self-signed RSA certificate made with node-forge. */
export function makeTestSamlIdp(name: string, sp: { entityId: string; acsUrl: string }, ssoUrlOverride?: string): TestSamlIdp {
    const certificate = issueRsa({ commonName: `${name} SAML signing`, clientAuth: false });
    const entityId = `https://${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.idp.test/metadata`;
    const ssoUrl = ssoUrlOverride ?? `https://${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.idp.test/sso`;
    const idp = samlify.IdentityProvider({
        entityID: entityId, signingCert: certificate.pem, privateKey: certificate.keyPem, nameIDFormat: [EMAIL_FORMAT],
        singleSignOnService: [{ Binding: REDIRECT, Location: ssoUrl }], wantAuthnRequestsSigned: false
    });
    const serviceProvider = (options: RespondOptions) => samlify.ServiceProvider({
        entityID: options.audience ?? sp.entityId,
        assertionConsumerService: [{ Binding: POST, Location: sp.acsUrl }],
        authnRequestsSigned: false,
        wantAssertionsSigned: options.assertionSigned ?? true,
        wantMessageSigned: options.assertionSigned === false
    });
    return {
        entityId, ssoUrl, certificate,
        async respond(redirectUrl, email, options = {}) {
            const url = new URL(redirectUrl);
            const target = serviceProvider(options);
            const parsed = await idp.parseLoginRequest(target, 'redirect', { query: Object.fromEntries(url.searchParams) });
            const requestId = parsed.extract.request!.id as string;
            const request = parsed as unknown as Parameters<typeof idp.createLoginResponse>[1];
            if (options.shiftMs === undefined) {
                const response = await idp.createLoginResponse(target, request, 'post', { email });
                return response.context;
            }
            const shifted = (minutes: number) => new Date(Date.now() + options.shiftMs! + minutes * 60_000).toISOString();
            const response = await idp.createLoginResponse(target, request, 'post', { email }, template => ({
                id: '_r' + Math.random().toString(16).slice(2),
                context: samlify.SamlLib.replaceTagsByValue(template, {
                    ID: '_r' + Math.random().toString(16).slice(2), AssertionID: '_a' + Math.random().toString(16).slice(2),
                    Destination: sp.acsUrl, Audience: options.audience ?? sp.entityId, EntityID: options.audience ?? sp.entityId, SubjectRecipient: sp.acsUrl,
                    Issuer: entityId, IssueInstant: shifted(0), AssertionConsumerServiceURL: sp.acsUrl,
                    StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success', ConditionsNotBefore: shifted(0), ConditionsNotOnOrAfter: shifted(5),
                    SubjectConfirmationDataNotOnOrAfter: shifted(5), NameIDFormat: EMAIL_FORMAT, NameID: email, InResponseTo: requestId,
                    AuthnStatement: '', AttributeStatement: ''
                })
            }));
            return response.context;
        }
    };
}

/** Posts a SAML response to the ACS as the browser's auto-submitted form does; returns where the server sends the browser. */
export async function postToAcs(acsUrl: string, samlResponse: string): Promise<URL> {
    const response = await fetch(acsUrl, {
        method: 'POST', redirect: 'manual', body: new URLSearchParams({ SAMLResponse: samlResponse }),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(10_000)
    });
    const location = response.headers.get('location');
    if (response.status !== 303 || !location) {
        throw new Error(`ACS answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    }
    return new URL(location);
}

/** Base64 XML in, base64 XML out, edited in between. */
export function editResponse(samlResponse: string, edit: (xml: string) => string): string {
    return Buffer.from(edit(Buffer.from(samlResponse, 'base64').toString('utf8')), 'utf8').toString('base64');
}
