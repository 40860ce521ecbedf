import { canonicalJson, CanonicalValue } from '../canonical-json';
import { hash256 } from '../crypto/hash';
import { concatBytes, toBase64Url, utf8Encode } from '../encoding';
import { fail, ok } from '../outcome';
import { CertificateError, certificateError, LogHeadPosition } from './certificate-errors';
import { Certificate } from './certificate-types';

/**
 * The certificate log is a hash chain per topic. Each certificate names, under its author's
 * signature, the chain digest of the certificate before it in its topic (`previous`), so a
 * server that deletes a certificate (a revocation, say), reorders them, or serves a log that
 * skips one breaks a signature it cannot make again. A log cut short verifies as a chain:
 * devices remember the head they last verified and refuse a shorter log or one that diverges
 * from it (certificate-log-replay.ts).
 *
 * The digest covers the certificate's redacted content, which every reader can compute: a
 * reader of full copies blanks the personal fields, a reader of redacted copies has them. So
 * External readers check the same chain without seeing a name.
 */

/** The organization's own topic: users, devices, profiles, revocations. Workspaces get one each. */
export const COMMON_TOPIC = 'common';

/** A workspace's own topic: its roles and keys, written without waiting for the organization's. */
export function workspaceTopic(workspaceId: string): string {
    return `workspace:${workspaceId}`;
}

/** Which topic of the log a certificate belongs to. */
export function topicOf(content: Certificate): string {
    switch (content.kind) {
        case 'user':
        case 'device':
        case 'user_update':
        case 'revoked_user':
        case 'pki_anchors':
            return COMMON_TOPIC;
        case 'workspace_role':
        case 'workspace_key':
            return workspaceTopic(content.workspaceId);
    }
}

/** The user a certificate is about (a device's user, a changed or revoked user); null for the organization's own settings. */
export function subjectOf(content: Certificate): string | null {
    return content.kind === 'pki_anchors' || content.kind === 'workspace_key' ? null : content.userId;
}

/** The certificate without its personal fields: what External readers receive, signed by the author too. */
export function redactedContent<C extends Certificate>(content: C): C {
    if (content.kind === 'user') {
        return { ...content, humanHandle: null };
    }
    if (content.kind === 'device') {
        return { ...content, deviceLabel: null };
    }
    return content;
}

const CHAIN_DOMAIN = utf8Encode('vouch/certificate-chain/v1\n');

/** The digest the next certificate of the topic names as `previous`. */
export function chainDigest(content: Certificate): string {
    const body = utf8Encode(canonicalJson(redactedContent(content) as unknown as CanonicalValue));
    return toBase64Url(hash256(concatBytes(CHAIN_DOMAIN, body)));
}

/** A certificate before it is linked into the log. */
export type Unlinked<C extends Certificate> = C extends Certificate ? Omit<C, 'previous'> : never;

/** Links certificates of one operation after `previous`, in order: each names the one before it. */
export function linkCertificates<C extends Certificate>(contents: readonly Unlinked<C>[], previous: string | null): C[] {
    const linked: C[] = [];
    for (const content of contents) {
        const certificate = { ...content, previous } as unknown as C;
        linked.push(certificate);
        previous = chainDigest(certificate);
    }
    return linked;
}

/** Where a writer signs: after the topic's newest certificate, and later than it. */
export interface LogPosition {
    readonly previous: string | null;
    readonly timestamp: number;
}

/** The position just after `head`: chained to it, dated now or just after it when the clock is behind. */
export function positionAfter(head: LogHeadPosition, now: number): LogPosition {
    return { previous: head.digest, timestamp: head.timestamp === undefined ? now : Math.max(now, head.timestamp + 1) };
}

/**
 * Certificates of one operation (in log order) against the head of their topic: the first
 * names the head, each next one the certificate before it; all dated strictly after the head
 * (they may share a timestamp: one operation). A stale writer is told where the log stands.
 */
export function checkLogLink(contents: readonly Certificate[], head: LogHeadPosition): { ok: true; value: void } | { ok: false; error: CertificateError } {
    if (contents.length === 0) {
        return ok(undefined);
    }
    head = { digest: head.digest, timestamp: head.timestamp };
    if (contents[0].previous !== head.digest) {
        return fail(certificateError('CERTIFICATE_LOG_HEAD_MOVED',
            'The certificate log moved on since this was signed: sign again after its newest certificate', head));
    }
    for (let i = 1; i < contents.length; i++) {
        if (contents[i].previous !== chainDigest(contents[i - 1])) {
            return fail(certificateError('CERTIFICATE_INCONSISTENT', 'The certificates of one operation must each name the one before them'));
        }
    }
    if (head.timestamp !== undefined && contents[0].timestamp <= head.timestamp) {
        return fail(certificateError('CERTIFICATE_REQUIRE_GREATER_TIMESTAMP', 'The certificate must be dated after the newest certificate of the organization', head));
    }
    return ok(undefined);
}
