import { sha256 } from '@noble/hashes/sha256';
import { toBase64Url } from '../encoding';
import { fail, ok } from '../outcome';
import { DecodedCertificate } from './certificate-codec';
import { certificateError } from './certificate-errors';
import { CertificateContext, Checked, checkLogPosition, decodeAs } from './certificate-rules';
import { PkiAnchorsCertificate, SignedCertificate } from './certificate-types';
import { checkAdministratorAuthor } from './user-change-rules';

/** The fingerprint an organization pins for a trust anchor: SHA-256 of the certificate's DER, base64url. */
export function anchorFingerprint(der: Uint8Array): string {
    return toBase64Url(sha256(der));
}

/** The anchors pinned once: sorted, each once (one content has one signed form). */
export function anchorsInOrder(fingerprints: readonly string[]): string[] {
    return [...new Set(fingerprints)].sort();
}

/** An Administrator pins the organization's PKI trust anchors. */
export function checkPkiAnchors(signed: SignedCertificate, ctx: CertificateContext): Checked<DecodedCertificate<PkiAnchorsCertificate>> {
    const decoded = decodeAs(signed, 'pki_anchors', 'The trust anchors certificate');
    if (!decoded.ok) { return decoded; }
    const author = checkAdministratorAuthor(decoded.value, ctx, 'The trust anchors certificate', 'pin trust anchors');
    if (!author.ok) { return author; }
    const anchors = decoded.value.content.anchors;
    if (anchorsInOrder(anchors).join() !== anchors.join()) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'The pinned anchors must be sorted, each once'));
    }
    const position = checkLogPosition([decoded.value.content], ctx);
    if (!position.ok) { return position; }
    return ok(decoded.value);
}
