import { inject, injectable } from '@theia/core/shared/inversify';
import { DesktopKeychainService } from '../common/desktop-keychain-protocol';
import { StoredDevice } from '../common/device-file';
import { DevicePasswordKeychain, keychainAccount } from '../browser/device-password-keychain';

/** The desktop app remembers a device's password in the operating system's keychain, when it answers and the person asks. */
@injectable()
export class OsDevicePasswordKeychain implements DevicePasswordKeychain {
    @inject(DesktopKeychainService) protected readonly keychain: DesktopKeychainService;

    async isOffered(): Promise<boolean> {
        return (await this.keychain.unavailableReason()) === undefined;
    }

    recall(device: StoredDevice): Promise<string | undefined> {
        return this.keychain.getPassword(keychainAccount(device));
    }

    remember(device: StoredDevice, password: string): Promise<void> {
        return this.keychain.setPassword(keychainAccount(device), password);
    }

    forget(device: StoredDevice): Promise<void> {
        return this.keychain.deletePassword(keychainAccount(device));
    }
}
