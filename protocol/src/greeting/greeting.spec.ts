import { expect } from 'chai';
import { generateKeyExchangePair } from '../crypto/key-exchange';
import { generateSigningKeyPair, portableEd25519 } from '../crypto/signature-scheme';
import { fromBase64Url, toBase64Url } from '../encoding';
import { signCertificate } from '../certificates/certificate-codec';
import { newDeviceId, newUserId } from '../identity';
import {
    commitmentMatches, greetingSharedKey, newGreetingNonce, nonceCommitment, SAS_ALPHABET, sasCandidates, sasCodes
} from './greeting-crypto';
import { GreetingChannel, GreetingEndedError, GreetingMailbox, GuestGreeting, HostGreeting, HostStepExtras } from './greeting-flow';
import { GreetingCancelReason, greetingCancelText, GreetingSide, GuestUserDetails, HostUserConfirmation } from './greeting-steps';

/** An in-memory server: both sides post to it; each gets the other's steps pushed. */
class LoopbackServer {
    readonly mailboxes: Record<GreetingSide, GreetingMailbox>;
    readonly posted: { side: GreetingSide; step: number; payload: string; extras?: HostStepExtras }[] = [];
    constructor(readonly attemptId = 'a'.repeat(32)) {
        this.mailboxes = { host: new GreetingMailbox(attemptId, 'host'), guest: new GreetingMailbox(attemptId, 'guest') };
    }
    channel(side: GreetingSide): GreetingChannel {
        return {
            attemptId: this.attemptId,
            post: async (step, payload, extras) => {
                this.posted.push({ side, step, payload, extras });
                Object.values(this.mailboxes).forEach(box => box.deliver({ attemptId: this.attemptId, step, side, payload }));
            },
            peer: step => this.mailboxes[side].peer(step),
            ended: this.mailboxes[side].whenEnded,
            cancel: async (reason: GreetingCancelReason) => Object.values(this.mailboxes).forEach(box => box.end({ attemptId: this.attemptId, reason, by: side }))
        };
    }
}

function userDetails(): GuestUserDetails {
    return {
        kind: 'user', humanHandle: { email: 'bob@example.com', label: 'Bob' }, deviceLabel: 'Laptop',
        publicKey: toBase64Url(generateKeyExchangePair().publicKey), verifyKey: toBase64Url(generateSigningKeyPair().verifyKey)
    };
}

function confirmationFor(details: GuestUserDetails, label = details.humanHandle.label): HostUserConfirmation {
    const signer = generateSigningKeyPair();
    const userId = newUserId();
    const deviceId = newDeviceId();
    const common = { version: 1 as const, author: newDeviceId(), timestamp: 1, previous: null };
    return {
        kind: 'user', organizationId: 'Acme', rootVerifyKey: toBase64Url(generateSigningKeyPair().verifyKey), userId, deviceId,
        humanHandle: { ...details.humanHandle, label }, deviceLabel: details.deviceLabel, profile: 'MEMBER',
        deviceCertificate: signCertificate({ kind: 'device', ...common, userId, deviceId, deviceLabel: details.deviceLabel, verifyKey: details.verifyKey }, signer.secretKey, portableEd25519),
        userCertificate: signCertificate({ kind: 'user', ...common, userId, humanHandle: { ...details.humanHandle, label }, publicKey: details.publicKey, profile: 'MEMBER' }, signer.secretKey, portableEd25519)
    };
}

describe('greeting crypto', () => {
    it('gives both sides the same key and the same two codes, over an alphabet without look-alikes', () => {
        const host = generateKeyExchangePair();
        const guest = generateKeyExchangePair();
        const hostKey = greetingSharedKey(host.privateKey, guest.publicKey, host.publicKey, guest.publicKey);
        const guestKey = greetingSharedKey(guest.privateKey, host.publicKey, host.publicKey, guest.publicKey);
        expect(hostKey).to.deep.equal(guestKey);
        const hostNonce = newGreetingNonce();
        const guestNonce = newGreetingNonce();
        const codes = sasCodes(hostKey, hostNonce, guestNonce);
        expect(sasCodes(guestKey, hostNonce, guestNonce)).to.deep.equal(codes);
        for (const code of [codes.hostCode, codes.guestCode]) {
            expect(code).to.match(/^[A-Z2-9]{4}$/);
            expect([...code].every(c => SAS_ALPHABET.includes(c))).to.equal(true);
        }
        expect(SAS_ALPHABET).to.not.match(/[IO01]/);
    });

    it('checks a nonce against its commitment', () => {
        const nonce = newGreetingNonce();
        expect(commitmentMatches(nonceCommitment(nonce), nonce)).to.equal(true);
        expect(commitmentMatches(nonceCommitment(nonce), newGreetingNonce())).to.equal(false);
    });

    it('offers 4 distinct candidates including the right one', () => {
        for (let i = 0; i < 50; i++) {
            const candidates = sasCandidates('ABCD');
            expect(candidates).to.have.length(4);
            expect(new Set(candidates).size).to.equal(4);
            expect(candidates).to.include('ABCD');
        }
    });

    it('a relaying man in the middle ends up with different codes on each side', () => {
        // The relay swaps in its own keys towards each side; it cannot choose nonces after seeing both.
        let differing = 0;
        for (let i = 0; i < 20; i++) {
            const host = generateKeyExchangePair();
            const guest = generateKeyExchangePair();
            const relayToHost = generateKeyExchangePair();
            const relayToGuest = generateKeyExchangePair();
            const hostKey = greetingSharedKey(host.privateKey, relayToHost.publicKey, host.publicKey, relayToHost.publicKey);
            const guestKey = greetingSharedKey(guest.privateKey, relayToGuest.publicKey, relayToGuest.publicKey, guest.publicKey);
            const hostNonce = newGreetingNonce();
            const guestNonce = newGreetingNonce();
            const hostSide = sasCodes(hostKey, hostNonce, guestNonce);
            const guestSide = sasCodes(guestKey, hostNonce, guestNonce);
            if (hostSide.hostCode !== guestSide.hostCode && hostSide.guestCode !== guestSide.guestCode) {
                differing++;
            }
        }
        expect(differing).to.equal(20);
    });
});

describe('greeting flow', () => {
    it('runs both sides to a confirmation the guest can check, with the name the host corrected', async () => {
        const server = new LoopbackServer();
        const host = new HostGreeting(server.channel('host'));
        const guest = new GuestGreeting(server.channel('guest'));
        const [hostCodes, guestCodes] = await Promise.all([host.exchange(), guest.exchange()]);
        expect(guestCodes.candidates).to.include(hostCodes.ownCode);
        expect(hostCodes.candidates).to.include(guestCodes.ownCode);
        await Promise.all([guest.pickHostCode(hostCodes.ownCode), host.guestPicked()]);
        await Promise.all([host.pickGuestCode(guestCodes.ownCode), guest.hostPicked()]);
        const details = userDetails();
        const hostSide = (async () => {
            const received = await host.guestDetails();
            expect(received).to.deep.equal(details);
            await host.confirm(confirmationFor(details, 'Bob Builder'), {});
        })();
        const confirmation = await guest.sendDetails(details);
        expect(confirmation.humanHandle.label).to.equal('Bob Builder');
        await guest.acknowledge();
        await hostSide;
        // The server only ever saw public keys, nonces, a commitment and ciphertext: no name, email
        // or device label, whether read as text or decoded from base64url (a random ciphertext can
        // spell "Bob" by chance, so look for the whole strings).
        const secrets = ['Bob Builder', 'bob@example.com', 'Laptop'];
        const readings = (payload: string) => [payload, new TextDecoder('utf-8', { fatal: false }).decode(fromBase64Url(payload) ?? new Uint8Array())];
        const leaked = server.posted.filter(p => readings(p.payload).some(text => secrets.some(secret => text.includes(secret))));
        expect(leaked).to.deep.equal([]);
    });

    it('a wrong pick ends the attempt for both sides, each told why in its own words', async () => {
        const server = new LoopbackServer();
        const host = new HostGreeting(server.channel('host'));
        const guest = new GuestGreeting(server.channel('guest'));
        const [hostCodes] = await Promise.all([host.exchange(), guest.exchange()]);
        const wrong = (await Promise.resolve(sasCandidates(hostCodes.ownCode))).find(code => code !== hostCodes.ownCode)!;
        const hostWaiting = host.guestPicked().then(() => 'picked', (error: GreetingEndedError) => error.message);
        const guestError = await guest.pickHostCode(wrong).then(() => 'picked', (error: GreetingEndedError) => error.message);
        expect(guestError).to.equal('You picked a wrong code');
        expect(await hostWaiting).to.equal('The guest picked a wrong code');
    });

    it('a side waiting for its person (a code to pick, a form) is told at once when the other side ends the attempt', async () => {
        const server = new LoopbackServer();
        const host = new HostGreeting(server.channel('host'));
        const guest = new GuestGreeting(server.channel('guest'));
        await Promise.all([host.exchange(), guest.exchange()]);
        // The guest's person has not picked yet, and never will: the host closes its dialog.
        const personPicks = new Promise<string>(() => undefined);
        const guestWaiting = guest.whileActive(personPicks).then(() => 'picked', (error: GreetingEndedError) => error.message);
        await host.cancel('CLOSED');
        expect(await guestWaiting).to.equal('The host closed the greeting');
        expect(await guest.whileActive(new Promise(() => undefined)).catch((error: GreetingEndedError) => error.reason)).to.equal('CLOSED');
    });

    it('names who ended an attempt, in the words of the side that reads it', () => {
        expect(greetingCancelText('WRONG_CODE', 'host', 'host')).to.equal('You picked a wrong code');
        expect(greetingCancelText('WRONG_CODE', 'host', 'guest')).to.equal('The host picked a wrong code');
        expect(greetingCancelText('LEFT', 'host', 'guest')).to.equal('The host left the greeting: their page was closed or lost its connection');
        expect(greetingCancelText('CLOSED', 'guest')).to.equal('The guest closed the greeting');
        expect(greetingCancelText('EXPIRED', 'server', 'guest')).to.match(/^The greeting expired/);
    });

    it('"None of these codes" on the host side ends it too', async () => {
        const server = new LoopbackServer();
        const host = new HostGreeting(server.channel('host'));
        const guest = new GuestGreeting(server.channel('guest'));
        const [hostCodes] = await Promise.all([host.exchange(), guest.exchange()]);
        await guest.pickHostCode(hostCodes.ownCode);
        const guestWaiting = guest.hostPicked().then(() => 'picked', (error: Error) => error.message);
        await host.pickGuestCode(undefined).catch(() => undefined);
        expect(await guestWaiting).to.equal('The host did not find the code among the ones shown');
    });

    it('the host refuses a nonce that does not match the commitment', async () => {
        const server = new LoopbackServer();
        const host = new HostGreeting(server.channel('host'));
        const guestChannel = server.channel('guest');
        const hostRun = host.exchange().then(() => 'codes', (error: Error) => error.message);
        const guestKey = generateKeyExchangePair();
        await guestChannel.post(0, toBase64Url(guestKey.publicKey));
        await guestChannel.post(1, toBase64Url(nonceCommitment(newGreetingNonce())));
        await guestChannel.peer(2);
        await guestChannel.post(3, toBase64Url(newGreetingNonce()));
        expect(await hostRun).to.match(/does not match its commitment/);
        expect(server.mailboxes.guest.endedWith?.reason).to.equal('COMMITMENT_MISMATCH');
    });

    it('the guest refuses a confirmation that does not name its keys', async () => {
        const server = new LoopbackServer();
        const host = new HostGreeting(server.channel('host'));
        const guest = new GuestGreeting(server.channel('guest'));
        const [hostCodes, guestCodes] = await Promise.all([host.exchange(), guest.exchange()]);
        await Promise.all([guest.pickHostCode(hostCodes.ownCode), host.pickGuestCode(guestCodes.ownCode)]);
        const details = userDetails();
        void host.guestDetails().then(() => host.confirm(confirmationFor(userDetails()), {})).catch(() => undefined);
        const outcome = await guest.sendDetails(details).then(() => 'accepted', (error: GreetingEndedError) => error.reason);
        expect(outcome).to.equal('BAD_PAYLOAD');
    });
});
