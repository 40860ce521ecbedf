import { QueryFailedError } from 'typeorm';

/** The one place that knows how each driver reports a duplicate key. */
export function isUniqueViolation(error: unknown): boolean {
    if (!(error instanceof QueryFailedError)) {
        return false;
    }
    const driverError = (error as QueryFailedError & { driverError?: { code?: unknown; errno?: unknown } }).driverError;
    const code = driverError?.code;
    return code === 'ER_DUP_ENTRY' || driverError?.errno === 1062 ||
        code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
