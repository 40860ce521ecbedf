import { createClient } from 'redis';
import { ServerLogger } from '../common/server-logger';

/** One publishing and one subscribing client, shared by the Socket.IO adapter and the event bus. */
export interface RedisConnection {
    readonly pub: ReturnType<typeof createClient>;
    readonly sub: ReturnType<typeof createClient>;
    close(): Promise<void>;
}

/** Retries forever once connected (Redis restarts), but fails quickly if it was never reachable. */
export async function connectRedis(url: string, logger: ServerLogger): Promise<RedisConnection> {
    let reachedOnce = false;
    const reconnectStrategy = (retries: number, cause: Error) => !reachedOnce && retries >= 5 ? cause : Math.min(100 * (retries + 1), 2000);
    const pub = createClient({ url, socket: { reconnectStrategy } });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
        client.on('ready', () => { reachedOnce = true; });
        client.on('error', error => {
            if (reachedOnce) {
                logger.error('Redis connection error', error);
            }
        });
    }
    try {
        await Promise.all([pub.connect(), sub.connect()]);
    } catch (error) {
        // quit() would wait for a client still retrying; destroy() stops it at once.
        [pub, sub].filter(client => client.isOpen).forEach(client => client.destroy());
        throw new Error(`Cannot connect to Redis at ${url.replace(/\/\/[^@]*@/, '//…@')}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return {
        pub, sub,
        close: async () => {
            await Promise.allSettled([pub.close(), sub.close()]);
        }
    };
}
