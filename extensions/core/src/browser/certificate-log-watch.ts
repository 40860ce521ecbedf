import { Disposable, DisposableCollection, Emitter, Event, ILogger } from '@theia/core';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { CERTIFICATES_PAGE_MAX, CertificateLogItem, checkLogContinuation, mayRequest, ReplayRefusal, VerifiedLogHead } from '@vouch/protocol';
import { IndexedDbRecords } from './indexed-db-records';
import { VouchSession } from './vouch-session';

/** Where a device keeps the head of the organization's log it last verified. */
export const VerifiedHeadStore = Symbol('VerifiedHeadStore');
export interface VerifiedHeadStore {
    load(deviceKey: string): Promise<VerifiedLogHead | undefined>;
    save(deviceKey: string, head: VerifiedLogHead): Promise<void>;
}

@injectable()
export class IndexedDbVerifiedHeadStore implements VerifiedHeadStore {
    protected readonly records = new IndexedDbRecords('vouch-log', 'verified-heads');

    async load(deviceKey: string): Promise<VerifiedLogHead | undefined> {
        const value = await this.records.get(deviceKey) as Partial<VerifiedLogHead> | undefined;
        return typeof value?.index === 'number' && typeof value.digest === 'string' ? { index: value.index, digest: value.digest } : undefined;
    }

    async save(deviceKey: string, head: VerifiedLogHead): Promise<void> {
        await this.records.put(deviceKey, head);
    }
}

/** How many pages of new certificates one check reads at most before it waits for the next change. */
const MAX_PAGES_PER_CHECK = 50;

/**
 * Each device remembers the newest certificate of the organization's log it verified, and every
 * time the log grows (and at each connection) checks that the server's log still holds that very
 * certificate and goes on from it as one chain. A server that cuts the log short, forks it, or
 * removes or moves a certificate after what this device saw is caught, and the person told. A
 * full replay (the history) checks signatures and rules from the root key and remembers its head
 * here too. Devices that may not read the log (External users) cannot run it.
 */
@injectable()
export class CertificateLogWatch implements Disposable {
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(VerifiedHeadStore) protected readonly store: VerifiedHeadStore;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidFindTamperingEmitter = new Emitter<ReplayRefusal>();
    /** The server served a log that does not continue the one this device verified. */
    readonly onDidFindTampering: Event<ReplayRefusal> = this.onDidFindTamperingEmitter.event;
    protected running?: Promise<void>;
    protected again = false;
    protected tampering?: ReplayRefusal;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidFindTamperingEmitter,
            this.session.onDidAddCertificates(() => this.check()),
            this.session.onDidChangeState(state => {
                if (state === 'connected') {
                    this.check();
                }
            })
        ]);
    }

    /** What the device found wrong with the log, if anything, since the workbench started. */
    get refusal(): ReplayRefusal | undefined {
        return this.tampering;
    }

    protected get deviceKey(): string | undefined {
        const device = this.session.device;
        return device && `${device.organizationId}/${device.deviceId}`;
    }

    remembered(): Promise<VerifiedLogHead | undefined> {
        const key = this.deviceKey;
        return key ? this.store.load(key) : Promise.resolve(undefined);
    }

    /** A full replay verified the log up to `head`: later logs must continue it. */
    async remember(head: VerifiedLogHead): Promise<void> {
        const key = this.deviceKey;
        const known = key && await this.store.load(key);
        if (key && (!known || known.index <= head.index)) {
            await this.store.save(key, head);
        }
    }

    /** Runs one check at a time; changes that arrive meanwhile make it run once more. */
    check(): Promise<void> {
        if (this.running) {
            this.again = true;
            return this.running;
        }
        this.running = this.checkOnce().catch(error => this.logger.warn(`Could not check the certificate log: ${error}`)).finally(() => {
            this.running = undefined;
            if (this.again) {
                this.again = false;
                this.check();
            }
        });
        return this.running;
    }

    protected async checkOnce(): Promise<void> {
        const key = this.deviceKey;
        const profile = this.session.profile;
        if (!key || !profile || !mayRequest(profile, 'certificates.list') || this.tampering) {
            return;
        }
        const remembered = await this.store.load(key);
        let offset: number;
        if (remembered) {
            // From the remembered certificate itself: it must still be there, unchanged.
            offset = remembered.index - 1;
        } else {
            // A device's first look: the newest certificate is the one it trusts from now on.
            const head = await this.session.request('certificates.head', {});
            if (!head.ok || head.value.index === 0) {
                return;
            }
            offset = head.value.index - 1;
        }
        const items: CertificateLogItem[] = [];
        for (let page = 0; page < MAX_PAGES_PER_CHECK; page++) {
            const reply = await this.session.request('certificates.list', { offset, limit: CERTIFICATES_PAGE_MAX });
            if (!reply.ok) {
                return;
            }
            items.push(...reply.value.certificates);
            if (reply.value.nextOffset === undefined) {
                break;
            }
            offset = reply.value.nextOffset;
        }
        const checked = checkLogContinuation(items, remembered);
        if (!checked.ok) {
            this.tampering = checked.error;
            this.onDidFindTamperingEmitter.fire(checked.error);
            return;
        }
        if (checked.value && this.deviceKey === key) {
            await this.store.save(key, checked.value);
        }
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
