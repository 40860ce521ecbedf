import { z } from 'zod';
import { ApiError, Reply } from '@vouch/protocol';
import { ServerLogger } from '../common/server-logger';

type Schemas = Record<string, z.ZodType>;

/** One handler per event of a namespace: gets the parsed request, returns the reply. */
export type RequestHandlers<S extends Schemas, R extends { [K in keyof S]: unknown }, C> = {
    [K in keyof S & string]: (request: z.output<S[K]>, context: C) => Promise<Reply<R[K]>>;
};

export function failure(code: ApiError['code'], message: string): { ok: false; error: ApiError } {
    return { ok: false, error: { code, message } };
}

/** What the wrapper needs of a socket of either namespace; their typed event maps stay theirs. */
export interface RequestSocket {
    readonly nsp: { readonly name: string };
    on(event: string, listener: (...args: unknown[]) => void): unknown;
    onAny(listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function describeIssue(error: z.ZodError): string {
    const issue = error.issues[0];
    const field = issue.path.length > 0 ? issue.path.join('.') : 'payload';
    return `${field}: ${issue.message}`;
}

/**
 * The single entry of every request: the ack must be a function, the payload must match the
 * event's schema, and a fault becomes INTERNAL_ERROR in the log, never a crashed process.
 */
export function serveRequests<S extends Schemas, R extends { [K in keyof S]: unknown }, C>(
    socket: RequestSocket, schemas: S, handlers: RequestHandlers<S, R, C>, context: C, logger: ServerLogger,
    /** Refuses a request before its payload is even read; undefined lets it through. */
    authorize: (event: keyof S & string, context: C) => ApiError | undefined | Promise<ApiError | undefined> = () => undefined
): void {
    socket.onAny((event: unknown, ...args: unknown[]) => {
        if (typeof event === 'string' && Object.prototype.hasOwnProperty.call(schemas, event)) {
            return;
        }
        logger.warn(`${socket.nsp.name}: ignored unknown event ${JSON.stringify(String(event)).slice(0, 80)}`);
        const ack = args[args.length - 1];
        if (typeof ack === 'function') {
            safeAck(ack, failure('BAD_PAYLOAD', 'Unknown request'), logger);
        }
    });
    for (const event of Object.keys(schemas) as (keyof S & string)[]) {
        socket.on(event, async (...args: unknown[]) => {
            const ack = args[args.length - 1];
            if (typeof ack !== 'function') {
                logger.warn(`${socket.nsp.name}: "${event}" without acknowledgement callback ignored`);
                return;
            }
            if (args.length !== 2) {
                safeAck(ack, failure('BAD_PAYLOAD', `payload: "${event}" takes exactly one payload object`), logger);
                return;
            }
            const refusal = await authorize(event, context);
            if (refusal) {
                safeAck(ack, { ok: false, error: refusal }, logger);
                return;
            }
            const parsed = schemas[event].safeParse(args[0]);
            if (!parsed.success) {
                safeAck(ack, failure('BAD_PAYLOAD', describeIssue(parsed.error)), logger);
                return;
            }
            let reply: Reply<unknown>;
            try {
                reply = await handlers[event](parsed.data, context);
            } catch (error) {
                logger.error(`${socket.nsp.name}: "${event}" failed`, error);
                reply = failure('INTERNAL_ERROR', 'The server could not process the request');
            }
            safeAck(ack, reply, logger);
        });
    }
}

function safeAck(ack: unknown, reply: Reply<unknown>, logger: ServerLogger): void {
    try {
        (ack as (reply: Reply<unknown>) => void)(reply);
    } catch (error) {
        logger.error('acknowledgement failed', error);
    }
}
