import { ILogger } from '@theia/core';
import { ServerLogger } from '@vouch/server';

/** The organization server's log lines through a Theia logger (the backend's log, its levels). */
export function theiaServerLogger(logger: ILogger): ServerLogger {
    return {
        info: message => logger.info(message),
        warn: message => logger.warn(message),
        error: (message, error) => error === undefined ? logger.error(message) : logger.error(message, error)
    };
}
