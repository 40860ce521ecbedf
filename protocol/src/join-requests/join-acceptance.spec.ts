import { expect } from 'chai';
import { signCertificate } from '../certificates/certificate-codec';
import { DeviceCertificate, UserCertificate } from '../certificates/certificate-types';
import { generateKeyExchangePair } from '../crypto/key-exchange';
import { generateSigningKeyPair, portableEd25519 } from '../crypto/signature-scheme';
import { fromBase64Url, toBase64Url } from '../encoding';
import { newDeviceId, newUserId } from '../identity';
import { checkJoinAcceptance, ReceivedJoinAcceptance, signJoinAcceptance } from './join-acceptance';
import { joinClaimHash, JoinRequestPayload } from './join-request-payload';

describe('a requester checking its acceptance', () => {
    const now = 1_764_000_000_000;
    const root = generateSigningKeyPair();
    const adminKey = generateSigningKeyPair();
    const adminUserId = newUserId();
    const adminDeviceId = newDeviceId();
    const sign = (content: UserCertificate | DeviceCertificate) => signCertificate(content, root.secretKey, portableEd25519);
    const adminUser = sign({ kind: 'user', version: 1, author: null, timestamp: now, previous: null, userId: adminUserId, humanHandle: { email: 'ada@example.com', label: 'Ada' },
        publicKey: toBase64Url(generateKeyExchangePair().publicKey), profile: 'ADMINISTRATOR' });
    const adminDevice = sign({ kind: 'device', version: 1, author: null, timestamp: now, previous: null, userId: adminUserId, deviceId: adminDeviceId, deviceLabel: 'Desk',
        verifyKey: toBase64Url(adminKey.verifyKey) });
    const payload: JoinRequestPayload = {
        version: 1, organizationId: 'Acme', email: 'dora@example.com', name: 'Dora', deviceLabel: 'Laptop',
        userPublicKey: toBase64Url(generateKeyExchangePair().publicKey), deviceVerifyKey: toBase64Url(generateSigningKeyPair().verifyKey),
        claimHash: joinClaimHash(new Uint8Array(32).fill(3)), replace: false, timestamp: now
    };

    function accept(forPayload: JoinRequestPayload): ReceivedJoinAcceptance {
        const signed = signJoinAcceptance({ payload: forPayload, email: forPayload.email, name: 'Dora', profile: 'MEMBER', author: adminDeviceId,
            position: { previous: null, timestamp: now + 1000 } }, content => signCertificate(content, adminKey.secretKey, portableEd25519));
        const user = JSON.parse(new TextDecoder().decode(fromBase64Url(signed.user)!.subarray(64))) as UserCertificate;
        const device = JSON.parse(new TextDecoder().decode(fromBase64Url(signed.device)!.subarray(64))) as DeviceCertificate;
        return { userId: user.userId, deviceId: device.deviceId, user: signed.user, device: signed.device, authorDevices: [adminDevice] };
    }

    it('takes certificates that chain to its root key and name its own keys and email', () => {
        const checked = checkJoinAcceptance(accept(payload), payload, root.verifyKey, portableEd25519);
        expect(checked.ok && checked.value.humanHandle.email).to.equal('dora@example.com');
    });

    it('refuses someone else\'s identity, other keys, or certificates from another root', () => {
        const genuine = accept(payload);
        const refusals: ReceivedJoinAcceptance[] = [
            { ...genuine, user: adminUser, userId: adminUserId },
            accept({ ...payload, deviceVerifyKey: toBase64Url(generateSigningKeyPair().verifyKey) }),
            accept({ ...payload, userPublicKey: toBase64Url(generateKeyExchangePair().publicKey) }),
            accept({ ...payload, email: 'eve@example.com' }),
            { ...genuine, deviceId: newDeviceId() }
        ];
        for (const received of refusals) {
            expect(checkJoinAcceptance(received, payload, root.verifyKey, portableEd25519).ok).to.equal(false);
        }
        expect(checkJoinAcceptance(genuine, payload, generateSigningKeyPair().verifyKey, portableEd25519).ok).to.equal(false);
    });
});
