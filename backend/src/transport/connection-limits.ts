import { ApiError } from '@vouch/protocol';

/**
 * What one anonymous connection may cost the server. Anyone on the internet can open one, so
 * each is held to a request rate and to a bounded amount of state; a legitimate page (a guest
 * in a greeting, a requester waiting for a decision) stays far below both.
 */
export const ANONYMOUS_CONNECTION_LIMITS = {
    /** Requests answered at once before the rate applies. */
    burst: 40,
    /** Sustained requests per second. */
    perSecond: 10,
    /** Invitations claimed, greetings spoken for or join requests followed at once; the oldest is let go. */
    followed: 16
} as const;

/** A token bucket: `burst` requests at once, then `perSecond`; refuses with how long to wait. */
export class RequestRate {
    protected tokens: number;
    protected last: number;

    constructor(protected readonly burst: number, protected readonly perSecond: number, protected readonly clock: () => number) {
        this.tokens = burst;
        this.last = clock();
    }

    take(): ApiError | undefined {
        const now = this.clock();
        this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perSecond / 1000);
        this.last = now;
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return undefined;
        }
        const retryAfterMs = Math.ceil((1 - this.tokens) * 1000 / this.perSecond);
        return {
            code: 'RATE_LIMITED',
            message: `Too many requests on this connection (at most ${this.burst} at once, then ${this.perSecond} a second): wait ${retryAfterMs} ms`,
            details: { retryAfterMs }
        };
    }
}

/** At most `limit` entries, the oldest let go (through `release`) when a new one comes. */
export class BoundedSet<T> {
    protected readonly entries = new Map<string, T>();

    constructor(protected readonly limit: number, protected readonly release: (entry: T) => void) { }

    add(key: string, entry: T): void {
        this.entries.delete(key);
        this.entries.set(key, entry);
        for (const [oldest, value] of this.entries) {
            if (this.entries.size <= this.limit) {
                break;
            }
            this.entries.delete(oldest);
            this.release(value);
        }
    }

    values(): IterableIterator<T> {
        return this.entries.values();
    }

    get size(): number {
        return this.entries.size;
    }
}
