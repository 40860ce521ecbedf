// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect API first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { JoinRequestsPage, PkiProof } from '../api/join-requests-api';
import { CertificateTrustStore } from '../certificates/certificate-rules';
import { anchorFingerprint } from '../certificates/pki-anchors-rules';
import { fromBase64Url } from '../encoding';
import { JoinRequestPayload, joinRequestMessage } from './join-request-payload';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

/**
 * Not exported from the package index (it loads @peculiar/x509): import
 * `@vouch/protocol/lib/join-requests/pki-recheck`.
 *
 * The accepting admin's own check of a PKI request, with @peculiar/x509 and WebCrypto: the
 * chain up to one of the anchors (signatures, dates, CA flags), clientAuth, the email, the CRLs,
 * and the leaf key's signature over the payload. Returns why it fails, or undefined.
 */
export async function recheckPkiProof(payload: JoinRequestPayload, proof: PkiProof, anchorsPem: readonly string[], crlsPem: readonly string[], now = new Date()): Promise<string | undefined> {
    try {
        const chain = proof.certificates.map(der => new x509.X509Certificate(der));
        const anchors = anchorsPem.map(pem => new x509.X509Certificate(pem));
        const crls = crlsPem.map(pem => new x509.X509Crl(pem));
        const leaf = chain[0];
        const path = [leaf];
        for (let depth = 0; depth < 8; depth++) {
            const current = path[path.length - 1];
            const anchor = anchors.find(candidate => candidate.subject === current.issuer);
            if (anchor && await current.verify({ publicKey: anchor, date: now })) {
                path.push(anchor);
                break;
            }
            const issuer = chain.find(candidate => candidate.subject === current.issuer && !path.includes(candidate));
            if (!issuer || !await current.verify({ publicKey: issuer, date: now })) {
                return 'The certificate does not chain to a trust anchor of this organization, or is not valid now';
            }
            path.push(issuer);
        }
        if (!anchors.some(anchor => anchor.equal(path[path.length - 1]))) {
            return 'The certificate does not chain to a trust anchor of this organization';
        }
        for (const issuer of path.slice(1)) {
            if (!issuer.getExtension(x509.BasicConstraintsExtension)?.ca) {
                return `"${issuer.subject}" is not a certification authority`;
            }
            if (now < issuer.notBefore || now > issuer.notAfter) {
                return `"${issuer.subject}" is not valid now`;
            }
        }
        const usages = leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [];
        if (!usages.includes(CLIENT_AUTH)) {
            return 'The certificate is not meant for client authentication';
        }
        const emails = (leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? []).filter(name => name.type === 'email').map(name => name.value.toLowerCase());
        if (!emails.includes(payload.email)) {
            return `The certificate does not name ${payload.email}`;
        }
        for (let i = 0; i + 1 < path.length; i++) {
            for (const crl of crls) {
                if (crl.issuer === path[i + 1].subject && await crl.verify({ publicKey: path[i + 1] }) && crl.findRevoked(path[i])) {
                    return `"${path[i].subject}" is revoked`;
                }
            }
        }
        const algorithm = leaf.publicKey.algorithm as EcKeyAlgorithm;
        const params = algorithm.name === 'ECDSA'
            ? { name: 'ECDSA', hash: algorithm.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256' }
            : { name: 'RSASSA-PKCS1-v1_5' };
        const key = await leaf.publicKey.export(algorithm.name === 'ECDSA' ? { name: 'ECDSA', namedCurve: algorithm.namedCurve } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, ['verify']);
        const signature = fromBase64Url(proof.signature);
        if (!signature || !await crypto.subtle.verify(params, key, signature as Uint8Array<ArrayBuffer>, joinRequestMessage(payload) as Uint8Array<ArrayBuffer>)) {
            return 'The request is not signed by the certificate\'s key';
        }
        return undefined;
    } catch (error) {
        return `The certificate could not be checked: ${error instanceof Error ? error.message : String(error)}`;
    }
}

/** The anchors an admin's client re-checks PKI requests against, and on whose word. */
export interface AnchorsToRecheck {
    /** PEM anchors: the served ones the organization pinned, or all served ones when it pinned none. */
    readonly anchors: readonly string[];
    /** Who vouches for them: a pki_anchors certificate that checked out, or only the server. */
    readonly pinnedBy?: { readonly author: string; readonly timestamp: number };
    /** Why the pinned anchors themselves are not believed; then no request is. */
    readonly problem?: string;
}

/**
 * Which of the anchors the server serves the admin's client may re-check against: when the
 * organization pinned its anchors (a pki_anchors certificate signed by an Administrator, chained
 * here to the root key of the admin's own device), only the served anchors whose fingerprints
 * it names; otherwise the served ones, said to be only the server's word.
 */
export function anchorsToRecheck(page: Pick<JoinRequestsPage, 'trustAnchors' | 'pinned'>, trust: CertificateTrustStore): AnchorsToRecheck {
    if (!page.pinned) {
        return { anchors: page.trustAnchors };
    }
    const chain = trust.addDeviceCertificates(page.pinned.authorDevices);
    const pinned = chain.ok ? trust.verify(page.pinned.certificate, 'pki_anchors', 'The pinned trust anchors') : chain;
    if (!pinned.ok) {
        return { anchors: [], problem: `The organization's pinned trust anchors do not check out: ${pinned.error.message}` };
    }
    const fingerprints = new Set(pinned.value.anchors);
    const anchors = page.trustAnchors.filter(pem => fingerprints.has(anchorFingerprint(new Uint8Array(new x509.X509Certificate(pem).rawData))));
    return { anchors, pinnedBy: { author: pinned.value.author!, timestamp: pinned.value.timestamp } };
}
