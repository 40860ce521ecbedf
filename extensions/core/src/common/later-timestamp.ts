import { Reply } from '@vouch/protocol';

/**
 * Sends certificates signed with `timestamp`; when the server answers that the organization's
 * newest certificate is later than this clock (CERTIFICATE_REQUIRE_GREATER_TIMESTAMP), signs
 * and sends again just after it, at most `retries` more times. The server's bound is a lower
 * bound only: it cannot make a client sign a date of its choosing beyond "later than now".
 */
export async function sendWithLaterTimestamp<R extends Reply<unknown>>(send: (timestamp: number) => Promise<R>, retries: number, now: () => number = Date.now): Promise<R> {
    let timestamp = now();
    for (let attempt = 0; ; attempt++) {
        const reply = await send(timestamp);
        const after = !reply.ok && reply.error.code === 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP' ? reply.error.details?.strictlyGreaterThan : undefined;
        if (typeof after !== 'number' || attempt >= retries) {
            return reply;
        }
        timestamp = Math.max(now(), after + 1);
    }
}
