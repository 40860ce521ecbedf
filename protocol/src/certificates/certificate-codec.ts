import { canonicalJson, CanonicalValue } from '../canonical-json';
import { ED25519_SIGNATURE_LENGTH, SignatureScheme } from '../crypto/signature-scheme';
import { concatBytes, fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '../encoding';
import { fail, ok, Outcome } from '../outcome';
import { CertificateError, certificateError } from './certificate-errors';
import { Certificate, CertificateSchema, SignedCertificate } from './certificate-types';

/** Signatures over certificates can never be confused with signatures over anything else. */
const CERTIFICATE_SIGNATURE_DOMAIN = utf8Encode('vouch/certificate/v1\n');

export interface DecodedCertificate<C extends Certificate = Certificate> {
    readonly content: C;
    readonly signature: Uint8Array;
    /** The canonical JSON bytes that were signed (without the domain prefix). */
    readonly body: Uint8Array;
    readonly signed: SignedCertificate;
}

export function signCertificate(content: Certificate, secretKey: Uint8Array, scheme: SignatureScheme): SignedCertificate {
    const body = utf8Encode(canonicalJson(content as unknown as CanonicalValue));
    const signature = scheme.sign(secretKey, concatBytes(CERTIFICATE_SIGNATURE_DOMAIN, body));
    return toBase64Url(concatBytes(signature, body));
}

/**
 * Parses a signed certificate without trusting it: its signature is checked separately, once
 * the author's verify key is known. Only the canonical encoding is accepted, so one content
 * has exactly one signed form.
 */
export function decodeCertificate(signed: SignedCertificate): Outcome<DecodedCertificate, CertificateError> {
    const bytes = fromBase64Url(signed);
    if (!bytes || bytes.length <= ED25519_SIGNATURE_LENGTH) {
        return fail(certificateError('CERTIFICATE_MALFORMED', 'The certificate is not valid base64url or is too short'));
    }
    const body = bytes.subarray(ED25519_SIGNATURE_LENGTH);
    let text: string;
    let json: unknown;
    try {
        text = utf8Decode(body);
        json = JSON.parse(text);
    } catch {
        return fail(certificateError('CERTIFICATE_MALFORMED', 'The certificate content is not JSON'));
    }
    const parsed = CertificateSchema.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return fail(certificateError('CERTIFICATE_MALFORMED', `The certificate content is invalid: ${issue.path.join('.') || 'root'}: ${issue.message}`));
    }
    if (canonicalJson(parsed.data as unknown as CanonicalValue) !== text) {
        return fail(certificateError('CERTIFICATE_MALFORMED', 'The certificate content is not in canonical form'));
    }
    return ok({ content: parsed.data, signature: bytes.subarray(0, ED25519_SIGNATURE_LENGTH), body, signed });
}

/** The bytes a certificate's signature covers (domain prefix and canonical JSON), for verifiers that run elsewhere (WebCrypto). */
export function certificateSignedMessage(decoded: DecodedCertificate): Uint8Array {
    return concatBytes(CERTIFICATE_SIGNATURE_DOMAIN, decoded.body);
}

export function verifyCertificateSignature(decoded: DecodedCertificate, verifyKey: Uint8Array, scheme: SignatureScheme): boolean {
    return scheme.verify(verifyKey, concatBytes(CERTIFICATE_SIGNATURE_DOMAIN, decoded.body), decoded.signature);
}
