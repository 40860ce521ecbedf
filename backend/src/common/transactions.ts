/**
 * Services mark what must commit together; the persistence layer decides how (STYLE.md, after
 * Vendure). Repositories called inside `work` join the transaction without being told.
 */
export interface Transactions {
    withTransaction<T>(work: () => Promise<T>): Promise<T>;
}
