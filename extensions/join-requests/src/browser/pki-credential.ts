import { nls } from '@theia/core';
import * as forge from 'node-forge';
import * as x509 from '@peculiar/x509';

/** A certificate chain and the private key of its leaf, read from the files a person has. */
export interface PkiCredential {
    /** base64 DER, leaf first. */
    readonly certificates: readonly string[];
    readonly subject: string;
    sign(message: Uint8Array): Promise<Uint8Array>;
}

export class PkiCredentialError extends Error { }

function toBinary(bytes: Uint8Array): string {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return binary;
}

function fromBinary(binary: string): Uint8Array {
    return Uint8Array.from(binary, c => c.charCodeAt(0));
}

/**
 * Reads a PKCS#12 file (password-protected) or PEM text (certificates and a PKCS#8 or RSA key).
 * node-forge opens PKCS#12 and RSA keys; certificates are parsed with @peculiar/x509 (RSA and
 * ECDSA); WebCrypto signs (RSASSA-PKCS1-v1_5 / ECDSA, SHA-256 or SHA-384 on P-384).
 */
export async function readPkiCredential(files: readonly { name: string; bytes: Uint8Array }[], password: string): Promise<PkiCredential> {
    const certificates: Uint8Array[] = [];
    let pkcs8: Uint8Array | undefined;
    for (const file of files) {
        const text = new TextDecoder().decode(file.bytes);
        if (text.includes('-----BEGIN')) {
            for (const block of text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
                certificates.push(new Uint8Array(new x509.X509Certificate(block).rawData));
            }
            const key = /-----BEGIN (RSA |ENCRYPTED |EC )?PRIVATE KEY-----[\s\S]+?-----END \1?PRIVATE KEY-----/.exec(text);
            if (key) {
                pkcs8 = pemKeyToPkcs8(key[0], key[1]?.trim(), password);
            }
            continue;
        }
        let p12: forge.pkcs12.Pkcs12Pfx;
        try {
            p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(toBinary(file.bytes)), password);
        } catch (error) {
            throw new PkiCredentialError(/password|mac/i.test(String(error))
                ? nls.localize('vouch/join/pkcs12Password', 'Wrong password for the PKCS#12 file')
                : nls.localize('vouch/join/unreadable', 'Cannot read {0}: {1}', file.name, String(error)));
        }
        for (const bag of p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []) {
            const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
            certificates.push(fromBinary(forge.asn1.toDer(asn1).getBytes()));
        }
        for (const bag of [...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
            ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? [])]) {
            const asn1 = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
            pkcs8 = fromBinary(forge.asn1.toDer(asn1).getBytes());
        }
    }
    if (certificates.length === 0) {
        throw new PkiCredentialError(nls.localize('vouch/join/noCertificate', 'No certificate found in the files'));
    }
    if (!pkcs8) {
        throw new PkiCredentialError(nls.localize('vouch/join/noKey', 'No private key found in the files'));
    }
    const parsed = certificates.map(raw => new x509.X509Certificate(raw as Uint8Array<ArrayBuffer>));
    // The leaf issued nothing else in the set.
    const leaf = parsed.find(candidate => !parsed.some(other => other !== candidate && other.issuer === candidate.subject && candidate.subject !== candidate.issuer)) ?? parsed[0];
    const chain = [leaf, ...parsed.filter(certificate => certificate !== leaf && certificate.subject !== certificate.issuer)];
    const algorithm = leaf.publicKey.algorithm as EcKeyAlgorithm | RsaHashedKeyAlgorithm;
    const signing = algorithm.name === 'ECDSA'
        ? { name: 'ECDSA', namedCurve: (algorithm as EcKeyAlgorithm).namedCurve }
        : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    let key: CryptoKey;
    try {
        key = await crypto.subtle.importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, signing, false, ['sign']);
    } catch (error) {
        throw new PkiCredentialError(nls.localize('vouch/join/keyUnusable', 'The private key cannot be used to sign: {0}', String(error)));
    }
    const hash = signing.name === 'ECDSA' && (signing as EcKeyImportParams).namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256';
    return {
        certificates: chain.map(certificate => toBase64(new Uint8Array(certificate.rawData))),
        subject: leaf.subject,
        sign: async message => new Uint8Array(await crypto.subtle.sign(signing.name === 'ECDSA' ? { name: 'ECDSA', hash } : { name: 'RSASSA-PKCS1-v1_5' }, key, message as Uint8Array<ArrayBuffer>))
    };
}

function pemKeyToPkcs8(pem: string, kind: string | undefined, password: string): Uint8Array {
    if (kind === 'RSA') {
        const key = forge.pki.privateKeyFromPem(pem);
        return fromBinary(forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key))).getBytes());
    }
    if (kind === 'ENCRYPTED') {
        const info = forge.pki.decryptPrivateKeyInfo(forge.pki.encryptedPrivateKeyFromPem(pem), password);
        if (!info) {
            throw new PkiCredentialError(nls.localize('vouch/join/keyPassword', 'Wrong password for the private key'));
        }
        return fromBinary(forge.asn1.toDer(info).getBytes());
    }
    if (kind === 'EC') {
        throw new PkiCredentialError(nls.localize('vouch/join/ecKey', 'Convert the EC key to PKCS#8 ("BEGIN PRIVATE KEY"): {0}', 'openssl pkcs8 -topk8 -nocrypt'));
    }
    return fromBinary(atob(pem.replace(/-----[^-]+-----|\s/g, '')));
}

function toBase64(bytes: Uint8Array): string {
    return btoa(toBinary(bytes));
}
