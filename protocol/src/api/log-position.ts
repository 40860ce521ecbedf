import { LogPosition, positionAfter } from '../certificates/certificate-chain';
import { LogHeadPosition } from '../certificates/certificate-errors';
import { ApiError, Reply } from './api-errors';

/** How a refusal names where the log stands: the head's chain digest and the timestamp to exceed. */
export function logHeadDetails(head: LogHeadPosition): NonNullable<ApiError['details']> {
    return {
        ...(head.digest !== null ? { headDigest: head.digest } : {}),
        ...(head.timestamp !== undefined ? { strictlyGreaterThan: head.timestamp } : {})
    };
}

/** The head a refusal names; undefined when the refusal is not about the log's position. */
export function logHeadOfRefusal(error: ApiError): LogHeadPosition | undefined {
    if (error.code !== 'CERTIFICATE_LOG_HEAD_MOVED' && error.code !== 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP') {
        return undefined;
    }
    const digest = error.details?.headDigest;
    const timestamp = error.details?.strictlyGreaterThan;
    return { digest: typeof digest === 'string' ? digest : null, timestamp: typeof timestamp === 'number' ? timestamp : undefined };
}

/**
 * Signs and sends at `first`; when the server answers that another writer moved the log on, or
 * that its newest certificate is dated after this clock, signs and sends again just after the
 * head the refusal names, at most `retries` more times. The server only ever names a position
 * after its head: it cannot make a client sign anything else.
 */
export async function sendAtLogPosition<R extends Reply<unknown>>(first: LogPosition, send: (position: LogPosition) => Promise<R>, retries: number,
    now: () => number = Date.now): Promise<R> {
    let position = first;
    for (let attempt = 0; ; attempt++) {
        const reply = await send(position);
        const head = reply.ok ? undefined : logHeadOfRefusal(reply.error);
        if (!head || attempt >= retries) {
            return reply;
        }
        position = positionAfter(head, now());
    }
}
