import { injectable } from '@theia/core/shared/inversify';
import { DesktopKeychainError, DesktopKeychainService, KEYCHAIN_SERVICE } from '../common/desktop-keychain-protocol';

/** What Vouch uses of keytar. */
export interface Keytar {
    getPassword(service: string, account: string): Promise<string | null>;
    setPassword(service: string, account: string, password: string): Promise<void>;
    deletePassword(service: string, account: string): Promise<boolean>;
    findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/**
 * The operating system's keychain through keytar, which Theia ships. Unlike Theia's own key
 * store, it never falls back to keeping passwords in memory: when the keychain does not answer
 * the person is told so and nothing is remembered.
 */
@injectable()
export class OsKeychain implements DesktopKeychainService {
    protected keychain?: Promise<{ readonly keytar: Keytar } | { readonly unavailable: string }>;

    /** keytar's native module, loaded on first use. */
    protected async loadKeytar(): Promise<Keytar> {
        return import('keytar');
    }

    protected connect(): Promise<{ readonly keytar: Keytar } | { readonly unavailable: string }> {
        this.keychain ??= (async () => {
            try {
                const keytar = await this.loadKeytar();
                // Loading is not enough: on Linux the Secret Service answers (or not) only when asked.
                await keytar.findCredentials(KEYCHAIN_SERVICE);
                return { keytar };
            } catch (error) {
                return { unavailable: error instanceof Error ? error.message : String(error) };
            }
        })();
        return this.keychain;
    }

    protected async keytar(): Promise<Keytar> {
        const keychain = await this.connect();
        if ('unavailable' in keychain) {
            throw DesktopKeychainError.Unavailable(keychain.unavailable);
        }
        return keychain.keytar;
    }

    async unavailableReason(): Promise<string | undefined> {
        const keychain = await this.connect();
        return 'unavailable' in keychain ? keychain.unavailable : undefined;
    }

    async getPassword(account: string): Promise<string | undefined> {
        return (await (await this.keytar()).getPassword(KEYCHAIN_SERVICE, account)) ?? undefined;
    }

    async setPassword(account: string, password: string): Promise<void> {
        await (await this.keytar()).setPassword(KEYCHAIN_SERVICE, account, password);
    }

    async deletePassword(account: string): Promise<void> {
        await (await this.keytar()).deletePassword(KEYCHAIN_SERVICE, account);
    }
}
