import { randomBytes } from 'crypto';
import { LocalEventBus, VouchEvents, VouchEventType } from '../common/event-bus';
import { ServerLogger } from '../common/server-logger';
import { RedisConnection } from './redis-connection';

/** One channel carries every domain event between instances. */
const CHANNEL = 'vouch:events';

interface Envelope {
    readonly origin: string;
    readonly type: VouchEventType;
    readonly event: unknown;
}

/**
 * The bus with several instances: an event runs this instance's listeners at once and reaches
 * the other instances' listeners through Redis, in the order this instance published. Listeners
 * never need to know which instance committed.
 */
export class RedisEventBus extends LocalEventBus {
    protected readonly origin = randomBytes(8).toString('hex');

    protected constructor(protected readonly redis: RedisConnection, logger: ServerLogger) {
        super(logger);
    }

    static async create(redis: RedisConnection, logger: ServerLogger): Promise<RedisEventBus> {
        const bus = new RedisEventBus(redis, logger);
        await redis.sub.subscribe(CHANNEL, message => bus.receive(message));
        return bus;
    }

    override publish<K extends VouchEventType>(type: K, event: VouchEvents[K]): void {
        this.deliver(type, event);
        const envelope: Envelope = { origin: this.origin, type, event };
        this.redis.pub.publish(CHANNEL, JSON.stringify(envelope)).catch(error => this.logger.error(`Could not carry "${type}" to the other instances`, error));
    }

    protected receive(message: string): void {
        let envelope: Envelope;
        try {
            envelope = JSON.parse(message) as Envelope;
        } catch (error) {
            this.logger.error('An event from Redis is not JSON', error);
            return;
        }
        if (envelope.origin !== this.origin && typeof envelope.type === 'string') {
            this.deliver(envelope.type, envelope.event);
        }
    }

    override async close(): Promise<void> {
        await this.redis.sub.unsubscribe(CHANNEL).catch(() => undefined);
        await super.close();
    }
}
