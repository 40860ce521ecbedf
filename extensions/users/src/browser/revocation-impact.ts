/**
 * What revoking some users will cause beyond the users themselves, said in the Revoke dialog
 * before anything is signed. The users extension knows nothing of workspaces: the extension
 * that does binds a provider (optional; without one the dialog says nothing more).
 */
export const RevocationImpactProvider = Symbol('RevocationImpactProvider');

export interface RevocationImpactProvider {
    /** Sentences for the dialog, each a consequence; a sentence saying why when it cannot be known. */
    describe(userIds: readonly string[]): Promise<readonly string[]>;
}
