import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { Certificate, DeviceId, fromBase64Url, publicKeyOf, SignedCertificate, UserId } from '@vouch/protocol';
import { WorkspaceIdentity } from '../common/workspace-engine-api';

/**
 * Who the engine acts as in the browser: the unlocked device of the session. Signing stays in
 * the session (the device's signing key never leaves it); a session locked meanwhile refuses.
 * Undefined while no device is unlocked.
 */
export function deviceWorkspaceIdentity(session: VouchSession): WorkspaceIdentity | undefined {
    const device = session.device;
    const privateKey = session.userPrivateKey !== undefined ? fromBase64Url(session.userPrivateKey) : undefined;
    const rootVerifyKey = session.rootVerifyKey;
    if (!device || !privateKey || !rootVerifyKey) {
        return undefined;
    }
    return {
        userId: device.userId as UserId,
        deviceId: device.deviceId as DeviceId,
        displayName: device.humanHandle.label,
        userKey: { privateKey, publicKey: publicKeyOf(privateKey) },
        rootVerifyKey,
        async sign(contents: readonly object[]): Promise<SignedCertificate[]> {
            const signed = session.signCertificates(contents as readonly Certificate[]);
            if (!signed) {
                throw new Error('The device is locked: nothing can be signed');
            }
            return signed;
        }
    };
}
