import { io, Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, DEVICE_NAMESPACE, generateKeyExchangePair, generateSigningKeyPair, LogHead, newDeviceId, newUserId, positionAfter, Reply,
    signCertificate, signNewUser, toBase64Url, UserProfile, VOUCH_SOCKET_PATH, ScryptCost
} from '@vouch/protocol';
import { bootstrapCertificates, signedHandshake, TestBootstrap } from '@vouch/server/lib/testing/organization-fixtures';
import { signRevocations } from '@vouch/server/lib/testing/socket-harness';
import { nodeEd25519 } from '@vouch/server/lib/crypto/node-ed25519';
import { sealDevice, StoredDevice } from '@vouch/core/lib/common/device-file';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { RunningApp, startApp } from './app-process';
import { launchChromium } from './chromium';
import { UnlockDialog, Workbench } from './workbench';

/** Cheap scrypt for devices made by the test (the stored device carries its own cost). */
const TEST_SCRYPT: ScryptCost = { N: 1024, r: 8, p: 1 };

export interface ScriptedPerson {
    readonly userId: string;
    readonly label: string;
    readonly email: string;
    readonly profile: UserProfile;
    /** The device sealed as a browser would store it; put into a browser with `installDevice`. */
    readonly stored: StoredDevice;
    readonly password: string;
}

function request<T>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
    return socket.timeout(10_000).emitWithAck(event, payload);
}

/**
 * An organization set up by a script, as an invitation would have done it: the script
 * bootstraps with the link the app printed, then its Administrator device adds people
 * (`users.create`) whose devices are sealed for browsers. The invitation UI is another
 * feature; these tests are about profiles and revocation.
 */
export class ScriptedOrganization {
    protected constructor(readonly url: string, readonly organizationId: string, readonly boot: TestBootstrap, protected readonly admin: Socket) { }

    static async bootstrap(url: string, appOutput: string): Promise<ScriptedOrganization> {
        const parsed = new URL(printedBootstrapLink(appOutput));
        const organizationId = parsed.searchParams.get('vouch-org')!;
        const boot = bootstrapCertificates(Date.now(), 'script@example.com', 'Script Admin');
        const anonymous = io(`${url}${ANONYMOUS_NAMESPACE}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], forceNew: true, reconnection: false });
        const booted = await request(anonymous, 'organization.bootstrap', {
            organizationId, token: parsed.searchParams.get('vouch-token'), rootVerifyKey: boot.rootVerifyKey, certificates: boot.certificates
        });
        if (!booted.ok) {
            throw new Error(JSON.stringify(booted));
        }
        const challenge = await request<{ challenge: string }>(anonymous, 'auth.challenge', {});
        anonymous.close();
        if (!challenge.ok) {
            throw new Error(JSON.stringify(challenge));
        }
        const admin = io(`${url}${DEVICE_NAMESPACE}`, {
            path: VOUCH_SOCKET_PATH, transports: ['websocket'], forceNew: true, reconnection: false,
            auth: signedHandshake(organizationId, boot.admin, challenge.value.challenge)
        });
        await new Promise<void>((resolve, reject) => {
            admin.once('connect', () => resolve());
            admin.once('connect_error', reject);
        });
        return new ScriptedOrganization(url, organizationId, boot, admin);
    }

    /** Adds a person with one device, signed by the script's Administrator device after the log's head. */
    async addPerson(label: string, email: string, profile: UserProfile, password = 'browser password'): Promise<ScriptedPerson> {
        const head = await request<LogHead>(this.admin, 'certificates.head', {});
        if (!head.ok) {
            throw new Error(JSON.stringify(head));
        }
        const { previous, timestamp } = positionAfter({ digest: head.value.digest ?? null, timestamp: head.value.timestamp }, Date.now());
        const userId = newUserId();
        const deviceId = newDeviceId();
        const deviceKey = generateSigningKeyPair(nodeEd25519);
        const userKey = generateKeyExchangePair();
        const author = this.boot.admin.deviceId;
        const certificates = signNewUser(
            { kind: 'user', version: 1, author, timestamp, userId, humanHandle: { email, label }, publicKey: toBase64Url(userKey.publicKey), profile },
            { kind: 'device', version: 1, author, timestamp, userId, deviceId, deviceLabel: `${label}'s browser`, verifyKey: toBase64Url(deviceKey.verifyKey) },
            previous, content => signCertificate(content, this.boot.admin.signingKey.secretKey, nodeEd25519));
        const reply = await request(this.admin, 'users.create', certificates);
        if (!reply.ok) {
            throw new Error(JSON.stringify(reply));
        }
        const stored = await sealDevice(
            { serverUrl: this.url, organizationId: this.organizationId, userId, deviceId, humanHandle: { email, label }, deviceLabel: `${label}'s browser`, createdOn: new Date(timestamp).toISOString() },
            { deviceSigningKey: toBase64Url(deviceKey.secretKey), userPrivateKey: toBase64Url(userKey.privateKey), rootVerifyKey: this.boot.rootVerifyKey },
            password, TEST_SCRYPT);
        return { userId, label, email, profile, stored, password };
    }

    /** Revokes a person, signed by the script's Administrator device after the log's head. */
    async revoke(person: ScriptedPerson): Promise<void> {
        const head = await request<LogHead>(this.admin, 'certificates.head', {});
        if (!head.ok) {
            throw new Error(JSON.stringify(head));
        }
        const position = positionAfter({ digest: head.value.digest ?? null, timestamp: head.value.timestamp }, Date.now());
        const reply = await request(this.admin, 'users.revoke', { certificates: signRevocations(this.boot.admin, [person.userId as never], position) });
        if (!reply.ok) {
            throw new Error(JSON.stringify(reply));
        }
    }

    close(): void {
        this.admin.close();
    }
}

/** The bootstrap link a fresh app printed for its first organization. */
export function printedBootstrapLink(appOutput: string): string {
    const link = /awaits its first administrator: (\S+)/.exec(appOutput)?.[1];
    if (!link) {
        throw new Error(`no bootstrap link in the app output:\n${appOutput}`);
    }
    return link;
}

/** Puts a sealed device where the workbench keeps it (IndexedDB `vouch` / `devices` / `current`); reload to pick it up. */
export async function installDevice(page: Page, stored: StoredDevice): Promise<void> {
    await page.evaluate(async device => {
        await new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('vouch', 1);
            open.onupgradeneeded = () => {
                if (!open.result.objectStoreNames.contains('devices')) {
                    open.result.createObjectStore('devices');
                }
            };
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const transaction = open.result.transaction('devices', 'readwrite');
                transaction.objectStore('devices').put(device, 'current');
                transaction.oncomplete = () => { open.result.close(); resolve(); };
                transaction.onerror = () => reject(transaction.error);
            };
        });
    }, stored);
}

/**
 * An app with a scripted organization, and Chromium with one browser context per person signed
 * in: what the profiles, workspaces and re-encryption specs stand on. `close` stops it all.
 */
export class ScriptedStage {
    protected readonly contexts: BrowserContext[] = [];

    protected constructor(readonly app: RunningApp, readonly org: ScriptedOrganization, readonly browser: Browser) { }

    static async start(options: Parameters<typeof startApp>[0] = {}): Promise<ScriptedStage> {
        const app = await startApp(options);
        try {
            const org = await ScriptedOrganization.bootstrap(app.url, app.output());
            return new ScriptedStage(app, org, await launchChromium());
        } catch (error) {
            await app.stop();
            throw error;
        }
    }

    /** The person's sealed device installed in a context of their own, the workbench reloaded, unlocked and connected. */
    async signIn(person: ScriptedPerson): Promise<Workbench> {
        const context = await this.browser.newContext();
        this.contexts.push(context);
        const page = await context.newPage();
        const workbench = new Workbench(page);
        await workbench.open(this.app.url);
        await installDevice(page, person.stored);
        await workbench.reload();
        const unlock = new UnlockDialog(page);
        await unlock.waitForOpen();
        await unlock.unlockWith(person.password);
        await unlock.waitForClosed();
        await workbench.waitForSessionStatus(`${this.org.organizationId}: connected`);
        return workbench;
    }

    async close(): Promise<void> {
        this.org.close();
        for (const context of this.contexts) {
            await context.close().catch(() => undefined);
        }
        await this.browser.close().catch(() => undefined);
        await this.app.stop();
    }
}
