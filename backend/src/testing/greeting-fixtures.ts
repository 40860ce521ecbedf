import {
    enrolUser, generateKeyExchangePair, generateSigningKeyPair, GreetingChannel, GreetingSocket, GuestGreeting, GuestUserDetails, HostGreeting,
    HostUserConfirmation, GreetingRequestError, LogPosition, sendAtLogPosition, signCertificate, SocketGreetingChannel, toBase64Url, UserProfile
} from '@vouch/protocol';
import { nodeEd25519 } from '../crypto/node-ed25519';
import { TestDevice } from './organization-fixtures';

/** What the greeting needs of a socket.io-client socket (kept structural so tests and benchmarks share it). */
export interface ClientSocket {
    timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
    on(event: string, listener: (...args: unknown[]) => void): unknown;
    off(event: string, listener: (...args: unknown[]) => void): unknown;
}

export function greetingSocket(socket: ClientSocket, timeoutMs = 10_000): GreetingSocket {
    return {
        request: (event, payload) => socket.timeout(timeoutMs).emitWithAck(event, payload) as ReturnType<GreetingSocket['request']>,
        on: (event, listener) => socket.on(event, listener as (...args: unknown[]) => void),
        off: (event, listener) => socket.off(event, listener as (...args: unknown[]) => void)
    };
}

export interface GuestKeys {
    readonly details: GuestUserDetails;
    readonly signingKey: { secretKey: Uint8Array; verifyKey: Uint8Array };
}

export function newGuestKeys(email: string, label: string, deviceLabel = 'Laptop'): GuestKeys {
    const signingKey = generateSigningKeyPair(nodeEd25519);
    return {
        signingKey,
        details: {
            kind: 'user', humanHandle: { email, label }, deviceLabel,
            publicKey: toBase64Url(generateKeyExchangePair().publicKey), verifyKey: toBase64Url(signingKey.verifyKey)
        }
    };
}

export interface ScriptedHost {
    readonly organizationId: string;
    readonly rootVerifyKey: string;
    readonly device: TestDevice;
}

/**
 * Both sides of a user greeting, scripted: codes picked right (or `guestPicks` for the guest's
 * pick), the host keeps the name or corrects it and sets the profile. Resolves with what the
 * guest's device keeps.
 */
export async function scriptedUserGreeting(options: {
    host: ScriptedHost;
    hostChannel: GreetingChannel;
    guestChannel: GreetingChannel;
    guest: GuestKeys;
    email: string;
    profile?: UserProfile;
    correctedLabel?: string;
    /** Where the host signs the new user: after the log's head (nextPosition on the host's socket). */
    position: () => Promise<LogPosition>;
    /** The guest's pick among its candidates; the right one by default. */
    guestPicks?: (candidates: readonly string[], right: string) => string | undefined;
}): Promise<{ confirmation: HostUserConfirmation; guestDevice: TestDevice }> {
    const host = new HostGreeting(options.hostChannel);
    const guest = new GuestGreeting(options.guestChannel);
    // What each person reads aloud, heard by the other.
    const hostSpeaks = deferred<string>();
    const guestSpeaks = deferred<string>();
    const hostSide = (async () => {
        const codes = await host.exchange();
        hostSpeaks.resolve(codes.ownCode);
        await host.guestPicked();
        await host.pickGuestCode(await guestSpeaks.promise);
        const details = await host.guestDetails();
        if (details.kind !== 'user') { throw new Error('expected a user'); }
        // As the workbench does: a step 7 that lost the log's head to another writer is signed again after it.
        const sent = await sendAtLogPosition(await options.position(), position => {
            const { newUser, confirmation } = enrolUser({
                organizationId: options.host.organizationId, rootVerifyKey: options.host.rootVerifyKey, deviceId: options.host.device.deviceId,
                sign: content => signCertificate(content, options.host.device.signingKey.secretKey, nodeEd25519)
            }, details, { email: options.email, label: options.correctedLabel ?? details.humanHandle.label, profile: options.profile ?? 'MEMBER', position });
            return host.sendConfirmation(confirmation, { newUser });
        }, 3);
        if (!sent.ok) { throw new GreetingRequestError(sent.error); }
        await host.guestAcknowledged();
    })();
    const guestSide = (async () => {
        const codes = await guest.exchange();
        guestSpeaks.resolve(codes.ownCode);
        const right = await hostSpeaks.promise;
        await guest.pickHostCode(options.guestPicks ? options.guestPicks(codes.candidates, right) : right);
        await guest.hostPicked();
        const confirmation = await guest.sendDetails(options.guest.details);
        await guest.acknowledge();
        return confirmation as HostUserConfirmation;
    })();
    // Both sides fail together when one ends the attempt: report what each was told.
    const [confirmation] = await Promise.all([guestSide, hostSide]).catch(async () => {
        const told = async (side: Promise<unknown>) => Promise.race([
            side.then(() => 'nothing', (error: Error) => error.message),
            new Promise<string>(resolve => setTimeout(() => resolve('nothing yet'), 3_000))
        ]);
        const [guestTold, hostTold] = await Promise.all([told(guestSide), told(hostSide)]);
        throw new ScriptedGreetingFailed(hostTold, guestTold);
    });
    return {
        confirmation,
        guestDevice: {
            userId: confirmation.userId, deviceId: confirmation.deviceId, signingKey: options.guest.signingKey,
            email: confirmation.humanHandle.email, label: confirmation.humanHandle.label
        }
    };
}

/** A scripted greeting that did not enrol the guest: what each side was told (`nothing yet` after 3 s). */
export class ScriptedGreetingFailed extends Error {
    constructor(readonly host: string, readonly guest: string) {
        super(`host: ${host}; guest: ${guest}`);
        this.name = 'ScriptedGreetingFailed';
    }
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>(r => { resolve = r; });
    return { promise, resolve };
}

export function hostChannel(socket: ClientSocket, attemptId: string): SocketGreetingChannel {
    return new SocketGreetingChannel(greetingSocket(socket), attemptId, 'host', {});
}

export function guestChannel(socket: ClientSocket, attemptId: string, organizationId: string, token: string): SocketGreetingChannel {
    return new SocketGreetingChannel(greetingSocket(socket), attemptId, 'guest', { organizationId, token });
}
