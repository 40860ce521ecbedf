import {
    CertificateLogItem, certificateSignedMessage, decodeCertificate, fromBase64Url, hash256, portableEd25519, SignatureScheme, toBase64Url
} from '@vouch/protocol';

/** Signatures checked at once; bounded so a huge log does not hold thousands of promises. */
const PARALLEL = 500;

function cacheKey(verifyKey: Uint8Array, message: Uint8Array, signature: Uint8Array): string {
    return `${toBase64Url(signature)}.${toBase64Url(verifyKey)}.${toBase64Url(hash256(message))}`;
}

/**
 * The history re-checks every signature; the portable verifier does ≈ 0.8k/s in a browser,
 * WebCrypto's Ed25519 many times that. This checks each certificate's signature ahead with
 * WebCrypto, under the key its author device claims, and returns a scheme that answers
 * "valid" only for exactly those (key, message, signature) triples; anything else (another
 * key, another message, a browser without Ed25519 in WebCrypto) goes to the portable verifier.
 * The replay's rules are unchanged: it still decides which key must have signed what.
 */
export async function precheckSignatures(items: readonly CertificateLogItem[], rootVerifyKey: Uint8Array, subtle: SubtleCrypto | undefined): Promise<SignatureScheme> {
    const verified = new Set<string>();
    const scheme: SignatureScheme = {
        ...portableEd25519,
        verify: (verifyKey, message, signature) => verified.has(cacheKey(verifyKey, message, signature)) || portableEd25519.verify(verifyKey, message, signature)
    };
    if (!subtle) {
        return scheme;
    }
    const decoded = items.map(item => decodeCertificate(item.signed)).flatMap(outcome => outcome.ok ? [outcome.value] : []);
    const deviceKeys = new Map<string, Uint8Array>();
    for (const cert of decoded) {
        if (cert.content.kind === 'device') {
            const key = fromBase64Url(cert.content.verifyKey);
            if (key) {
                deviceKeys.set(cert.content.deviceId, key);
            }
        }
    }
    const imported = new Map<string, Promise<CryptoKey>>();
    const importKey = (key: Uint8Array) => {
        const id = toBase64Url(key);
        let pending = imported.get(id);
        if (!pending) {
            pending = subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
            imported.set(id, pending);
        }
        return pending;
    };
    try {
        for (let i = 0; i < decoded.length; i += PARALLEL) {
            await Promise.all(decoded.slice(i, i + PARALLEL).map(async cert => {
                const author = cert.content.author;
                const key = author === null ? rootVerifyKey : deviceKeys.get(author);
                if (!key) {
                    return;
                }
                const message = certificateSignedMessage(cert);
                if (await subtle.verify({ name: 'Ed25519' }, await importKey(key), cert.signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>)) {
                    verified.add(cacheKey(key, message, cert.signature));
                }
            }));
        }
    } catch {
        // No Ed25519 in this WebCrypto: the portable verifier checks everything.
    }
    return scheme;
}
