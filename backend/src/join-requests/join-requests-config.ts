import * as fs from 'fs';
import * as path from 'path';
import { X509Certificate } from 'crypto';
import { ConfigError } from '../config';
import { PkiVerifier } from './pki-verifier';

export interface OidcConfig {
    readonly issuer: string;
    readonly clientId: string;
    readonly clientSecret?: string;
    readonly redirectUrl: string;
    readonly scopes: string;
    readonly label: string;
    /** ProConnect asks for an `acr_values` (eidas1) and signs its userinfo. */
    readonly acrValues?: string;
    readonly userinfoSignedResponseAlg?: string;
}

export interface SamlConfig {
    readonly entryPoint: string;
    /** PEM certificates the IdP signs with. */
    readonly idpCertificates: readonly string[];
    readonly idpIssuer?: string;
    readonly spEntityId: string;
    readonly acsUrl: string;
    readonly label: string;
}

export interface JoinRequestsConfig {
    /** PEM blocks of the trust anchors; empty: no PKI requests. */
    readonly trustAnchors: readonly string[];
    /** CRL files' contents (PEM text or DER bytes). */
    readonly crls: readonly (string | Uint8Array)[];
    readonly oidc?: OidcConfig;
    readonly saml?: SamlConfig;
}

export const OIDC_CALLBACK_PATH = '/vouch/join/oidc/callback';
export const SAML_ACS_PATH = '/vouch/join/saml/acs';

/** ProConnect (the French State's identity federation) as a preset: only the client id and secret remain to set. */
export const PROCONNECT_PRESETS: Record<string, Pick<OidcConfig, 'issuer' | 'scopes' | 'label' | 'acrValues' | 'userinfoSignedResponseAlg'>> = {
    proconnect: {
        issuer: 'https://auth.agentconnect.gouv.fr/api/v2', scopes: 'openid email given_name usual_name uid',
        label: 'ProConnect', acrValues: 'eidas1', userinfoSignedResponseAlg: 'RS256'
    },
    'proconnect-integration': {
        issuer: 'https://fca.integ01.dev-agentconnect.fr/api/v2', scopes: 'openid email given_name usual_name uid',
        label: 'ProConnect (integration)', acrValues: 'eidas1', userinfoSignedResponseAlg: 'RS256'
    }
};

function readFile(variable: string, file: string, dataDir: string): Buffer {
    try {
        return fs.readFileSync(path.resolve(dataDir, file));
    } catch (error) {
        throw new ConfigError(variable, `cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
}

function pemCertificates(variable: string, text: string): string[] {
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) {
        throw new ConfigError(variable, 'no PEM certificate (-----BEGIN CERTIFICATE-----) found');
    }
    return blocks;
}

function url(variable: string, value: string): string {
    try {
        const parsed = new URL(value);
        if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
            throw new Error();
        }
        return value;
    } catch {
        throw new ConfigError(variable, `expected an http(s) URL, got "${value}"`);
    }
}

export function loadJoinRequestsConfig(env: NodeJS.ProcessEnv, publicUrl: string, dataDir: string): JoinRequestsConfig {
    const trustAnchors = env.VOUCH_PKI_TRUST_ANCHORS
        ? pemCertificates('VOUCH_PKI_TRUST_ANCHORS', readFile('VOUCH_PKI_TRUST_ANCHORS', env.VOUCH_PKI_TRUST_ANCHORS, dataDir).toString('utf8'))
        : [];
    const crls = (env.VOUCH_PKI_CRLS ?? '').split(',').map(file => file.trim()).filter(Boolean).map(file => {
        const bytes = readFile('VOUCH_PKI_CRLS', file, dataDir);
        return bytes.includes('-----BEGIN') ? bytes.toString('utf8') : new Uint8Array(bytes);
    });
    if (crls.length > 0 && trustAnchors.length === 0) {
        throw new ConfigError('VOUCH_PKI_CRLS', 'revocation lists need trust anchors (VOUCH_PKI_TRUST_ANCHORS)');
    }
    for (const pem of trustAnchors) {
        try {
            if (!new X509Certificate(pem).ca) {
                throw new Error('not a CA certificate (basicConstraints cA)');
            }
        } catch (error) {
            throw new ConfigError('VOUCH_PKI_TRUST_ANCHORS', `a certificate is unusable as a trust anchor: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    try {
        PkiVerifier.create(trustAnchors, crls);
    } catch (error) {
        throw new ConfigError('VOUCH_PKI_CRLS', `a revocation list does not parse: ${error instanceof Error ? error.message : String(error)}`);
    }
    let oidc: OidcConfig | undefined;
    const preset = env.VOUCH_OIDC_PRESET ? PROCONNECT_PRESETS[env.VOUCH_OIDC_PRESET] : undefined;
    if (env.VOUCH_OIDC_PRESET && !preset) {
        throw new ConfigError('VOUCH_OIDC_PRESET', `unknown preset "${env.VOUCH_OIDC_PRESET}" (known: ${Object.keys(PROCONNECT_PRESETS).join(', ')})`);
    }
    const issuer = env.VOUCH_OIDC_ISSUER || preset?.issuer;
    if (issuer) {
        if (!env.VOUCH_OIDC_CLIENT_ID) {
            throw new ConfigError('VOUCH_OIDC_CLIENT_ID', 'required when an OIDC issuer is configured');
        }
        oidc = {
            issuer: url('VOUCH_OIDC_ISSUER', issuer),
            clientId: env.VOUCH_OIDC_CLIENT_ID,
            ...(env.VOUCH_OIDC_CLIENT_SECRET ? { clientSecret: env.VOUCH_OIDC_CLIENT_SECRET } : {}),
            redirectUrl: url('VOUCH_OIDC_REDIRECT_URL', env.VOUCH_OIDC_REDIRECT_URL || `${publicUrl}${OIDC_CALLBACK_PATH}`),
            scopes: env.VOUCH_OIDC_SCOPES || preset?.scopes || 'openid email profile',
            label: env.VOUCH_OIDC_LABEL || preset?.label || new URL(issuer).host,
            ...(preset?.acrValues ? { acrValues: preset.acrValues } : {}),
            ...(preset?.userinfoSignedResponseAlg ? { userinfoSignedResponseAlg: preset.userinfoSignedResponseAlg } : {})
        };
    }
    let saml: SamlConfig | undefined;
    if (env.VOUCH_SAML_ENTRY_POINT) {
        if (!env.VOUCH_SAML_IDP_CERT) {
            throw new ConfigError('VOUCH_SAML_IDP_CERT', 'required when VOUCH_SAML_ENTRY_POINT is set (PEM file of the IdP signing certificate)');
        }
        saml = {
            entryPoint: url('VOUCH_SAML_ENTRY_POINT', env.VOUCH_SAML_ENTRY_POINT),
            idpCertificates: pemCertificates('VOUCH_SAML_IDP_CERT', readFile('VOUCH_SAML_IDP_CERT', env.VOUCH_SAML_IDP_CERT, dataDir).toString('utf8')),
            ...(env.VOUCH_SAML_IDP_ISSUER ? { idpIssuer: env.VOUCH_SAML_IDP_ISSUER } : {}),
            spEntityId: env.VOUCH_SAML_SP_ENTITY_ID || `${publicUrl}/vouch/join/saml`,
            acsUrl: `${publicUrl}${SAML_ACS_PATH}`,
            label: env.VOUCH_SAML_LABEL || 'SAML'
        };
    }
    return { trustAnchors, crls, ...(oidc ? { oidc } : {}), ...(saml ? { saml } : {}) };
}
