import 'reflect-metadata';
import { generateKeyPairSync, sign as nodeSign, webcrypto } from 'crypto';
import * as forge from 'node-forge';
import * as x509 from '@peculiar/x509';
import { JoinRequestPayload, joinRequestMessage, PkiProof, toBase64Url } from '@vouch/protocol';

/** A certificate with its private key, as a test CA or a requester holds it. */
export interface TestIdentity {
    readonly pem: string;
    readonly der: Buffer;
    /** PKCS#8 PEM. */
    readonly keyPem: string;
    readonly subject: string;
}

interface IssueOptions {
    readonly commonName: string;
    readonly ca?: boolean;
    readonly email?: string;
    readonly clientAuth?: boolean;
    readonly notBefore?: Date;
    readonly notAfter?: Date;
    readonly serial?: string;
}

const DAY = 24 * 3600 * 1000;

function rsaKeys(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey; pkcs8: string } {
    // node makes the key (forge's pure-JS generation takes seconds); forge signs the certificates.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forgeKey = forge.pki.privateKeyFromPem(pkcs8) as forge.pki.rsa.PrivateKey;
    return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pkcs8 };
}

let serialCounter = 1000;

/** Issues an RSA certificate with node-forge; self-signed when `issuer` is absent. */
export function issueRsa(options: IssueOptions, issuer?: TestIdentity): TestIdentity {
    const keys = rsaKeys();
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = keys.publicKey;
    certificate.serialNumber = options.serial ?? (serialCounter++).toString(16).padStart(4, '0');
    certificate.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY);
    certificate.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY);
    const subject = [{ name: 'commonName', value: options.commonName }, { name: 'organizationName', value: 'Vouch Test PKI' }];
    certificate.setSubject(subject);
    const issuerCertificate = issuer ? forge.pki.certificateFromPem(issuer.pem) : undefined;
    certificate.setIssuer(issuerCertificate ? issuerCertificate.subject.attributes : subject);
    const extensions: object[] = [{ name: 'basicConstraints', cA: options.ca === true, critical: true }];
    extensions.push(options.ca
        ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
        : { name: 'keyUsage', digitalSignature: true, critical: true });
    if (!options.ca && options.clientAuth !== false) {
        extensions.push({ name: 'extKeyUsage', clientAuth: true });
    } else if (!options.ca) {
        extensions.push({ name: 'extKeyUsage', serverAuth: true });
    }
    if (options.email) {
        extensions.push({ name: 'subjectAltName', altNames: [{ type: 1, value: options.email }] });
    }
    certificate.setExtensions(extensions);
    const signingKey = issuer ? forge.pki.privateKeyFromPem(issuer.keyPem) : keys.privateKey;
    certificate.sign(signingKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    const pem = forge.pki.certificateToPem(certificate);
    return { pem, der: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary'), keyPem: keys.pkcs8, subject: options.commonName };
}

async function importRsaSigningKey(pkcs8Pem: string): Promise<CryptoKey> {
    const der = Buffer.from(pkcs8Pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    return webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']) as Promise<CryptoKey>;
}

/** An ECDSA (P-256) leaf signed by an RSA CA: forge cannot encode EC keys, @peculiar/x509 can. */
export async function issueEcdsaLeaf(options: IssueOptions, issuer: TestIdentity): Promise<TestIdentity> {
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as CryptoKeyPair;
    const issuerName = new x509.X509Certificate(issuer.pem).subject;
    const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: options.serial ?? (serialCounter++).toString(16).padStart(4, '0'),
        subject: `CN=${options.commonName}, O=Vouch Test PKI`,
        issuer: issuerName,
        notBefore: options.notBefore ?? new Date(Date.now() - DAY),
        notAfter: options.notAfter ?? new Date(Date.now() + 365 * DAY),
        publicKey: keys.publicKey,
        signingKey: await importRsaSigningKey(issuer.keyPem),
        signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm,
        extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
            ...(options.email ? [new x509.SubjectAlternativeNameExtension([{ type: 'email', value: options.email }])] : [])
        ]
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`;
    return { pem: certificate.toString('pem'), der: Buffer.from(certificate.rawData), keyPem, subject: options.commonName };
}

/** A CRL of `issuer` listing these serials (hex). */
export async function issueCrl(issuer: TestIdentity, revokedSerials: readonly string[], nextUpdate = new Date(Date.now() + 7 * DAY)): Promise<string> {
    const crl = await x509.X509CrlGenerator.create({
        issuer: new x509.X509Certificate(issuer.pem).subject,
        thisUpdate: new Date(Date.now() - 3600_000),
        nextUpdate,
        entries: revokedSerials.map(serialNumber => ({ serialNumber, revocationDate: new Date(Date.now() - 60_000) })),
        signingKey: await importRsaSigningKey(issuer.keyPem),
        signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm
    });
    return crl.toString('pem');
}

/** Signs a join request as a requester's client does: RSA PKCS#1 v1.5 or ECDSA r‖s, SHA-256. */
export function pkiProof(payload: JoinRequestPayload, leaf: TestIdentity, intermediates: readonly TestIdentity[] = []): PkiProof {
    const message = joinRequestMessage(payload);
    const ec = leaf.keyPem.length < 400;
    const signature = ec ? nodeSign('sha256', message, { key: leaf.keyPem, dsaEncoding: 'ieee-p1363' }) : nodeSign('sha256', message, leaf.keyPem);
    return { method: 'pki', certificates: [leaf, ...intermediates].map(identity => identity.der.toString('base64')), signature: toBase64Url(signature) };
}

/** A PKCS#12 file (password-protected) holding the leaf, its key and chain, as a person exports it. */
export function pkcs12(leaf: TestIdentity, chain: readonly TestIdentity[], password: string): Buffer {
    const key = forge.pki.privateKeyFromPem(leaf.keyPem);
    const certificates = [leaf, ...chain].map(identity => forge.pki.certificateFromPem(identity.pem));
    const asn1 = forge.pkcs12.toPkcs12Asn1(key, certificates, password, { algorithm: '3des' });
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** A root, an intermediate and a few leaves, made once per suite. */
export interface TestPki {
    readonly root: TestIdentity;
    readonly intermediate: TestIdentity;
    leaf(email: string, options?: Partial<IssueOptions>): TestIdentity;
}

export function makeTestPki(name = 'Vouch Test'): TestPki {
    const root = issueRsa({ commonName: `${name} Root CA`, ca: true, notAfter: new Date(Date.now() + 3650 * DAY) });
    const intermediate = issueRsa({ commonName: `${name} Issuing CA`, ca: true }, root);
    return {
        root, intermediate,
        leaf: (email, options = {}) => issueRsa({ commonName: email, email, ...options }, intermediate)
    };
}
