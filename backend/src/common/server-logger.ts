/** Where the server reports; the CLI writes it to stdout/stderr, Theia passes its own logger. */
export interface ServerLogger {
    info(message: string): void;
    warn(message: string): void;
    error(message: string, error?: unknown): void;
}

export const silentLogger: ServerLogger = {
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined
};
