import { ILogger } from '@theia/core';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { fail, ok, Outcome } from '@vouch/protocol';
import { StoredDevice } from '../common/device-file';
import { UnlockFailure, VouchSession } from './vouch-session';

/**
 * Where a device's password may be remembered, when the person asks for it: the operating
 * system's keychain in the desktop app. The browser offers nothing of the kind (a page has no
 * keychain of its own, and the backend's would be the server's, not the person's).
 */
export const DevicePasswordKeychain = Symbol('DevicePasswordKeychain');
export interface DevicePasswordKeychain {
    /** Whether the unlock dialog offers "Remember the password": the keychain answers. */
    isOffered(): Promise<boolean>;
    recall(device: StoredDevice): Promise<string | undefined>;
    remember(device: StoredDevice, password: string): Promise<void>;
    forget(device: StoredDevice): Promise<void>;
}

/** The account a device's password is kept under: one per device of an organization. */
export function keychainAccount(device: Pick<StoredDevice, 'organizationId' | 'deviceId'>): string {
    return `${device.organizationId}/${device.deviceId}`;
}

@injectable()
export class BrowserDevicePasswordKeychain implements DevicePasswordKeychain {
    async isOffered(): Promise<boolean> {
        return false;
    }

    async recall(): Promise<string | undefined> {
        return undefined;
    }

    async remember(): Promise<void> {
        throw new Error('The browser does not remember device passwords');
    }

    async forget(): Promise<void> {
        // Nothing was ever remembered here.
    }
}

/**
 * Unlocking the device with a password typed or remembered: a remembered password is tried
 * first and forgotten when it no longer opens the device (changed elsewhere, keychain restored
 * from elsewhere); a typed one is remembered only when the person ticked it, and ticking it off
 * forgets the one remembered.
 */
@injectable()
export class DeviceUnlock {
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(DevicePasswordKeychain) protected readonly keychain: DevicePasswordKeychain;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    canRemember(): Promise<boolean> {
        return this.keychain.isOffered().catch(() => false);
    }

    /** True when the device is unlocked with the password the keychain kept for it. */
    async unlockWithRememberedPassword(): Promise<boolean> {
        const device = this.session.device;
        if (!device || !await this.canRemember()) {
            return false;
        }
        const password = await this.keychain.recall(device).catch(error => {
            this.logger.warn('Could not read the keychain', error);
            return undefined;
        });
        if (!password) {
            return false;
        }
        const outcome = await this.session.unlock(password);
        if (!outcome.ok && outcome.error === 'WRONG_PASSWORD') {
            await this.forget(device);
        }
        return outcome.ok;
    }

    /** `rememberFailed`: unlocked, but the keychain refused to keep the password. */
    async unlock(password: string, remember: boolean): Promise<Outcome<{ readonly rememberFailed?: string }, UnlockFailure>> {
        const outcome = await this.session.unlock(password);
        const device = this.session.device;
        if (!outcome.ok || !device) {
            return outcome.ok ? fail('NO_DEVICE') : outcome;
        }
        if (!remember) {
            await this.forget(device);
            return ok({});
        }
        try {
            await this.keychain.remember(device, password);
            return ok({});
        } catch (error) {
            return ok({ rememberFailed: error instanceof Error ? error.message : String(error) });
        }
    }

    /** When the device goes (forgotten, revoked), so does its password. */
    async forget(device: StoredDevice): Promise<void> {
        if (await this.canRemember()) {
            await this.keychain.forget(device).catch(error => this.logger.warn('Could not forget the remembered password', error));
        }
    }
}
