import 'reflect-metadata';
import { createHash, KeyObject, verify as verifySignature, X509Certificate } from 'crypto';
import { X509Certificate as PeculiarCertificate, X509Crl } from '@peculiar/x509';
import { fail, fromBase64Url, JoinRequestPayload, joinRequestMessage, ok, Outcome, PkiProof, VerifiedIdentity } from '@vouch/protocol';

/** The extended key usage a certificate needs to prove a person (TLS client authentication). */
const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';

export interface PkiProofError {
    readonly code: 'JOIN_PROOF_INVALID';
    readonly message: string;
}

interface LoadedCrl {
    readonly pem: string;
    readonly issuer: string;
    readonly revoked: ReadonlySet<string>;
    readonly crl: X509Crl;
    readonly nextUpdate?: number;
}

/** Splits a PEM bundle into its blocks of one label. */
export function pemBlocks(text: string, label: string): string[] {
    const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, 'g');
    return text.match(pattern) ?? [];
}

function normalizedSerial(serial: string): string {
    return serial.replace(/^0+/, '').toUpperCase();
}

/**
 * Checks a PKI join proof: the chain up to one of the organization's trust anchors (signatures,
 * validity dates, CA flags), the leaf's clientAuth usage and email SAN against the request,
 * revocation where a CRL of the issuer is configured, then the leaf key's signature over the
 * payload. node's X509Certificate does the signatures (RSA and ECDSA) natively; it has no chain
 * API, hence the short loop. CRLs are read once with @peculiar/x509.
 */
export class PkiVerifier {
    protected readonly anchors: X509Certificate[];
    protected readonly crls: LoadedCrl[];
    /** CRL signatures verified against an issuer, by `crl fingerprint|issuer fingerprint`. */
    protected readonly crlChecked = new Map<string, boolean>();
    /**
     * CA certificates everyone submits (the same intermediates over and over): parsed once, and
     * whether each one's signature verified with a given issuer. Leaves are never cached. Dates,
     * usage and revocation are checked on every request all the same.
     */
    protected readonly parsedIssuers = new BoundedCache<X509Certificate>(256);
    protected readonly issuerLinks = new BoundedCache<boolean>(1024);

    protected constructor(readonly trustAnchorsPem: readonly string[], crls: LoadedCrl[]) {
        this.anchors = trustAnchorsPem.map(pem => new X509Certificate(pem));
        this.crls = crls;
    }

    /** Throws with a readable message when a PEM does not parse: configuration errors stop start. */
    static create(trustAnchorsPem: readonly string[], crlTexts: readonly (string | Uint8Array)[] = []): PkiVerifier {
        const crls = crlTexts.flatMap(text => {
            // OpenSSL writes "X509 CRL", others (e.g. @peculiar/x509) "CRL".
            const blocks = typeof text === 'string' ? [...pemBlocks(text, 'X509 CRL'), ...pemBlocks(text, 'CRL')] : [text];
            if (blocks.length === 0) {
                throw new Error('No PEM CRL block (-----BEGIN X509 CRL----- or -----BEGIN CRL-----) found');
            }
            return blocks.map((block): LoadedCrl => {
                const crl = typeof block === 'string' ? new X509Crl(block) : new X509Crl(new Uint8Array(block));
                return {
                    pem: crl.toString('pem'),
                    issuer: crl.issuer,
                    revoked: new Set(crl.entries.map(entry => normalizedSerial(entry.serialNumber))),
                    crl,
                    nextUpdate: crl.nextUpdate?.getTime()
                };
            });
        });
        return new PkiVerifier(trustAnchorsPem, crls);
    }

    get crlsPem(): string[] {
        return this.crls.map(crl => crl.pem);
    }

    get configured(): boolean {
        return this.anchors.length > 0;
    }

    async verify(payload: JoinRequestPayload, proof: PkiProof, now: number): Promise<Outcome<VerifiedIdentity & { method: 'pki' }, PkiProofError>> {
        const invalid = (message: string) => fail<PkiProofError>({ code: 'JOIN_PROOF_INVALID', message });
        let chain: X509Certificate[];
        try {
            chain = proof.certificates.map((der, index) => index === 0
                ? new X509Certificate(Buffer.from(der, 'base64'))
                : this.parsedIssuers.get(der, () => new X509Certificate(Buffer.from(der, 'base64'))));
        } catch {
            return invalid('A certificate of the chain does not parse');
        }
        const leaf = chain[0];
        const path = this.buildPath(chain);
        if (typeof path === 'string') {
            return invalid(path);
        }
        for (const certificate of path) {
            if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
                return invalid(`The certificate "${certificate.subject.replace(/\n/g, ', ')}" is not valid at this time (${certificate.validFrom} – ${certificate.validTo})`);
            }
        }
        for (let i = 1; i < path.length; i++) {
            if (!path[i].ca) {
                return invalid(`"${path[i].subject.replace(/\n/g, ', ')}" is not a certification authority`);
            }
        }
        const usages = leaf.keyUsage;
        if (!usages || !(usages.includes(CLIENT_AUTH_EKU) || usages.includes(ANY_EKU))) {
            return invalid('The certificate is not meant for client authentication (extended key usage clientAuth)');
        }
        const emails = subjectEmails(leaf);
        if (!emails.includes(payload.email)) {
            return invalid(`The certificate does not name the email ${payload.email}`);
        }
        const revoked = await this.revocation(path, now);
        if (revoked) {
            return invalid(revoked);
        }
        const signature = fromBase64Url(proof.signature);
        if (!signature || !this.signatureValid(leaf.publicKey, joinRequestMessage(payload), signature)) {
            return invalid('The request is not signed by the certificate\'s key');
        }
        return ok({
            method: 'pki',
            subject: leaf.subject.replace(/\n/g, ', '),
            email: payload.email,
            issuerChain: path.slice(1).map(certificate => certificate.subject.replace(/\n/g, ', ')),
            notBefore: new Date(leaf.validFrom).toISOString(),
            notAfter: new Date(leaf.validTo).toISOString(),
            fingerprint: createHash('sha256').update(leaf.raw).digest('hex'),
            keyType: leaf.publicKey.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec'
        });
    }

    /** Leaf, then issuers from the submitted intermediates, ending at a trust anchor; or why not. */
    protected buildPath(chain: X509Certificate[]): X509Certificate[] | string {
        const path = [chain[0]];
        const pool = chain.slice(1);
        for (let depth = 0; depth < 8; depth++) {
            const current = path[path.length - 1];
            const anchor = this.anchors.find(candidate => current.checkIssued(candidate) && this.signedBy(current, candidate, current === chain[0]));
            if (anchor) {
                if (!anchor.raw.equals(current.raw)) {
                    path.push(anchor);
                }
                return path;
            }
            const issuer = pool.find(candidate => current.checkIssued(candidate) && !path.includes(candidate) && this.signedBy(current, candidate, current === chain[0]));
            if (!issuer) {
                return current === chain[0] && pool.length === 0 && this.anchors.some(anchor => current.checkIssued(anchor))
                    ? 'The certificate\'s signature does not verify with its issuer'
                    : 'The certificate does not chain to a trust anchor of this organization';
            }
            path.push(issuer);
        }
        return 'The certificate chain is too long';
    }

    /** A leaf's signature is checked every time; a CA certificate's link to its issuer once. */
    protected signedBy(subject: X509Certificate, issuer: X509Certificate, isLeaf: boolean): boolean {
        if (isLeaf) {
            return subject.verify(issuer.publicKey);
        }
        return this.issuerLinks.get(`${subject.fingerprint256}|${issuer.fingerprint256}`, () => subject.verify(issuer.publicKey));
    }

    protected async revocation(path: X509Certificate[], now: number): Promise<string | undefined> {
        for (let i = 0; i + 1 < path.length; i++) {
            const certificate = path[i];
            const issuer = path[i + 1];
            const issuerName = this.crls.length > 0 ? new PeculiarCertificate(issuer.raw).subject : '';
            for (const crl of this.crls) {
                if (crl.issuer !== issuerName || !await this.crlFrom(crl, issuer)) {
                    continue;
                }
                if (crl.revoked.has(normalizedSerial(certificate.serialNumber))) {
                    return `The certificate "${certificate.subject.replace(/\n/g, ', ')}" is revoked`;
                }
                if (crl.nextUpdate !== undefined && crl.nextUpdate < now) {
                    // A stale list can not vouch for anyone: refuse rather than trust an old answer.
                    return `The revocation list of "${issuer.subject.replace(/\n/g, ', ')}" is out of date`;
                }
            }
        }
        return undefined;
    }

    /** Whether the CRL was signed by this issuer; verified once per pair. */
    protected async crlFrom(crl: LoadedCrl, issuer: X509Certificate): Promise<boolean> {
        const key = `${crl.pem.length}:${createHash('sha256').update(crl.pem).digest('hex')}|${issuer.fingerprint256}`;
        let checked = this.crlChecked.get(key);
        if (checked === undefined) {
            checked = await crl.crl.verify({ publicKey: new PeculiarCertificate(issuer.raw) }).catch(() => false);
            this.crlChecked.set(key, checked);
        }
        return checked;
    }

    protected signatureValid(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
        try {
            if (key.asymmetricKeyType === 'rsa') {
                return verifySignature('sha256', message, key, signature);
            }
            if (key.asymmetricKeyType === 'ec') {
                const curve = key.asymmetricKeyDetails?.namedCurve;
                const hash = curve === 'secp384r1' ? 'sha384' : curve === 'prime256v1' ? 'sha256' : undefined;
                return hash !== undefined && verifySignature(hash, message, { key, dsaEncoding: 'ieee-p1363' }, signature);
            }
            return false;
        } catch {
            return false;
        }
    }
}

/** Emails the certificate names: rfc822Name SANs, else the subject's emailAddress. Lowercase. */
export function subjectEmails(certificate: X509Certificate): string[] {
    const emails: string[] = [];
    for (const entry of (certificate.subjectAltName ?? '').split(/,\s*/)) {
        if (entry.startsWith('email:')) {
            emails.push(entry.slice('email:'.length).trim().toLowerCase());
        }
    }
    if (emails.length === 0) {
        const match = /(?:^|\n)emailAddress=([^\n]+)/.exec(certificate.subject);
        if (match) {
            emails.push(match[1].trim().toLowerCase());
        }
    }
    return emails;
}

/** A map that forgets its oldest entries past `limit`, so submitted certificates cannot grow memory without bound. */
class BoundedCache<T> {
    protected readonly entries = new Map<string, T>();
    constructor(protected readonly limit: number) { }

    get(key: string, make: () => T): T {
        if (this.entries.has(key)) {
            return this.entries.get(key)!;
        }
        const value = make();
        this.entries.set(key, value);
        if (this.entries.size > this.limit) {
            this.entries.delete(this.entries.keys().next().value!);
        }
        return value;
    }
}
