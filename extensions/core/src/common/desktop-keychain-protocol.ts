import { ApplicationError } from '@theia/core/lib/common/application-error';

/**
 * RPC between the desktop workbench and its backend for the operating system's keychain
 * (macOS Keychain, Windows Credential Manager, the Secret Service on Linux), through keytar.
 * Used only when the person ticks "Remember the password".
 */
export const DESKTOP_KEYCHAIN_PATH = '/services/vouch/desktop-keychain';
export const DesktopKeychainService = Symbol('DesktopKeychainService');

/** The keychain entries' service name; the account names the device. */
export const KEYCHAIN_SERVICE = 'Vouch';

export interface DesktopKeychainService {
    /** Undefined when the keychain answers; else why it cannot be used (no Secret Service running, …). */
    unavailableReason(): Promise<string | undefined>;
    getPassword(account: string): Promise<string | undefined>;
    setPassword(account: string, password: string): Promise<void>;
    deletePassword(account: string): Promise<void>;
}

export const DesktopKeychainError = {
    /** The operating system's keychain does not answer: nothing was kept anywhere else instead. */
    Unavailable: ApplicationError.declare(-42103, (reason: string) => ({ message: `The system keychain cannot be used: ${reason}`, data: { reason } }))
};
