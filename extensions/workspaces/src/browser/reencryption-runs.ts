import { CancellationTokenSource, Disposable, DisposableCollection, Emitter, Event, ILogger, MessageService, nls, ProgressService, QuickInputService } from '@theia/core';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { localizePlural } from '@vouch/core/lib/common/plural';
import { WorkspaceId } from '@vouch/protocol';
import { reencryptWorkspace, ReencryptionProgress, ReencryptionResult } from '../common/reencryption';
import { REENCRYPT_AUTOMATICALLY, ReencryptionPreferences } from '../common/reencryption-preferences';
import { WorkspaceInfo } from '../common/workspace-engine-api';
import { DeviceWorkspaceConnection } from './device-workspace-connection';
import { deviceWorkspaceIdentity } from './device-workspace-identity';
import { pickWorkspacesToReencrypt } from './reencryption-pick';
import { WorkspaceEngineHost } from './workspace-engine-host';
import { describeWorkspaceError } from './workspace-words';

/** A run of this device, while it lasts. */
export interface ReencryptionRunState {
    readonly workspaceId: WorkspaceId;
    readonly progress: ReencryptionProgress;
}

/** The automatic mode waits this long, plus up to as much again at random, so Owners' devices do not all start at once. */
const AUTOMATIC_DELAY_MS = 3000;
/** Runs in a row for one workspace when revocations keep coming during them. */
const MAX_RUNS = 3;

/**
 * The workbench's side of re-encryption: which of the user's workspaces need it and may be
 * re-encrypted by them (the engine derives both from certificates), the notification that asks
 * (pushed after a revocation, or found when the device next connects), and this device's runs
 * through Theia's progress (done / total manifests, cancellable; a cancelled or broken run
 * resumes where it stopped, from any Owner's device). With the preference on, an Owner's device
 * starts them by itself after a short random delay, unless another Owner already runs one.
 */
@injectable()
export class ReencryptionRuns implements Disposable {
    @inject(WorkspaceEngineHost) protected readonly engines: WorkspaceEngineHost;
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ProgressService) protected readonly progress: ProgressService;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(ReencryptionPreferences) protected readonly preferences: ReencryptionPreferences;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected readonly runs = new Map<WorkspaceId, { progress: ReencryptionProgress; source: CancellationTokenSource }>();
    /** Needs this session already told about (a workspace and the revoked users behind it): a new revocation asks again. */
    protected readonly told = new Set<string>();
    protected readonly scheduled = new Map<WorkspaceId, ReturnType<typeof setTimeout>>();
    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** The workspaces needing re-encryption or this device's runs changed. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.engines.onDidChangeWorkspaces(() => this.workspacesChanged()),
            // Another device, another user: what was told is told again.
            this.engines.onDidChangeEngine(() => this.told.clear()),
            this.preferences.onPreferenceChanged(change => change.preferenceName === REENCRYPT_AUTOMATICALLY && this.workspacesChanged()),
            Disposable.create(() => {
                this.scheduled.forEach(timer => clearTimeout(timer));
                this.runs.forEach(run => run.source.cancel());
            })
        ]);
    }

    /**
     * The user's workspaces that need re-encryption and that they may re-encrypt, with those whose
     * run stopped half way (rotated, so no longer derived as needed, but still in maintenance).
     */
    get needing(): readonly WorkspaceInfo[] {
        return this.engines.workspaces.filter(info => info.mayReencrypt && (info.needsReencryption || info.reencrypting));
    }

    mayRun(workspaceId: WorkspaceId): boolean {
        const info = this.engines.workspace(workspaceId);
        return info !== undefined && info.mayReencrypt && (info.needsReencryption || info.reencrypting);
    }

    running(workspaceId: WorkspaceId): ReencryptionRunState | undefined {
        const run = this.runs.get(workspaceId);
        return run && { workspaceId, progress: run.progress };
    }

    protected workspacesChanged(): void {
        const needing = this.needing;
        // Asked once per revocation; a run that stopped half way was asked about already.
        const fresh = needing.filter(info => info.needsReencryption && !this.told.has(needKey(info)));
        fresh.forEach(info => this.told.add(needKey(info)));
        if (this.preferences[REENCRYPT_AUTOMATICALLY]) {
            needing.filter(info => !this.runs.has(info.workspaceId) && !this.scheduled.has(info.workspaceId)).forEach(info => this.schedule(info.workspaceId));
        } else if (fresh.length > 0) {
            this.ask(fresh).catch(error => this.logger.warn(`Re-encryption notification failed: ${error}`));
        }
        this.onDidChangeEmitter.fire();
    }

    /** "Ron Revoked was revoked: 2 workspaces need re-encryption" — Re-encrypt now, or Later (the view keeps the marker). */
    protected async ask(fresh: readonly WorkspaceInfo[]): Promise<void> {
        const revoked = [...new Set(fresh.flatMap(info => info.revokedMembers.map(member => member.label ?? nls.localize('vouch/workspaces/reencrypt/someone', 'A member'))))];
        const names = fresh.map(info => info.name ?? info.workspaceId).join(', ');
        const now = nls.localize('vouch/workspaces/reencrypt/now', 'Re-encrypt now');
        const later = nls.localize('vouch/workspaces/reencrypt/later', 'Later');
        const text = localizePlural('vouch/workspaces/reencrypt/needed', fresh.length, {
            one: '{1} was revoked: 1 workspace needs re-encryption ({2}).',
            other: '{1} was revoked: {0} workspaces need re-encryption ({2}).'
        }, revoked.join(', '), names);
        const answer = await this.messages.warn(text, now, later);
        if (answer !== now) {
            return;
        }
        const still = fresh.filter(info => this.mayRun(info.workspaceId));
        const chosen = still.length > 1 ? await pickWorkspacesToReencrypt(this.quickInput, still) : still.map(info => info.workspaceId);
        await this.reencrypt(chosen ?? []);
    }

    protected schedule(workspaceId: WorkspaceId): void {
        const timer = setTimeout(() => {
            this.scheduled.delete(workspaceId);
            this.startAutomatically(workspaceId).catch(error => this.logger.warn(`Automatic re-encryption failed: ${error}`));
        }, AUTOMATIC_DELAY_MS + Math.random() * AUTOMATIC_DELAY_MS);
        this.scheduled.set(workspaceId, timer);
    }

    /** Unless another Owner already runs it (their run holds a lease): then theirs ends it, and the marker goes with it. */
    protected async startAutomatically(workspaceId: WorkspaceId): Promise<void> {
        if (!this.preferences[REENCRYPT_AUTOMATICALLY] || !this.needing.some(info => info.workspaceId === workspaceId) || this.runs.has(workspaceId)) {
            return;
        }
        const listed = await this.connection.request('workspaces.list', {});
        const run = listed.ok ? listed.value.workspaces.find(one => one.workspaceId === workspaceId)?.reencryption?.run : undefined;
        if (run && run.runnerDeviceId !== this.engines.deviceId && Date.parse(run.leaseUntil) > Date.now()) {
            return;
        }
        await this.reencrypt([workspaceId]);
    }

    /** Runs these workspaces' re-encryptions at once, each with its progress; resolves when all ended (done, cancelled or failed). */
    async reencrypt(workspaceIds: readonly WorkspaceId[]): Promise<void> {
        await Promise.all([...new Set(workspaceIds)].filter(workspaceId => !this.runs.has(workspaceId)).map(workspaceId => this.runOne(workspaceId)));
    }

    /** Cancels this device's run of a workspace: it stops between batches and can be resumed. */
    cancel(workspaceId: WorkspaceId): void {
        this.runs.get(workspaceId)?.source.cancel();
    }

    protected async runOne(workspaceId: WorkspaceId): Promise<void> {
        const identity = deviceWorkspaceIdentity(this.session);
        if (!identity) {
            return;
        }
        const name = this.engines.workspace(workspaceId)?.name ?? workspaceId;
        const source = new CancellationTokenSource();
        const state = { progress: { phase: 'waiting', done: 0, total: 0 } as ReencryptionProgress, source };
        this.runs.set(workspaceId, state);
        this.onDidChangeEmitter.fire();
        const connection = new DeviceWorkspaceConnection(this.connection);
        const progress = await this.progress.showProgress({
            text: nls.localize('vouch/workspaces/reencrypt/progressTitle', 'Re-encrypting {0}', name),
            options: { cancelable: true, location: 'notification' }
        }, () => source.cancel());
        try {
            let result: ReencryptionResult | undefined;
            for (let run = 0; run < MAX_RUNS; run++) {
                result = await reencryptWorkspace(connection, identity, workspaceId, {
                    token: source.token,
                    onProgress: step => {
                        state.progress = step;
                        progress.report({ message: progressMessage(step), ...(step.total > 0 ? { work: { done: step.done, total: step.total } } : {}) });
                        this.onDidChangeEmitter.fire();
                    }
                });
                // Another revocation came during the run: the workspace needs one more.
                if (result.kind !== 'done' || !result.stillNeeded) {
                    break;
                }
            }
            this.tell(name, result!);
        } catch (error) {
            this.messages.error(nls.localize('vouch/workspaces/reencrypt/failed', 'The re-encryption of {0} stopped: {1}. Run it again to resume where it stopped.',
                name, describeWorkspaceError(error)));
        } finally {
            progress.cancel();
            connection.dispose();
            this.runs.delete(workspaceId);
            this.onDidChangeEmitter.fire();
            this.engines.engine?.refresh().catch(() => undefined);
        }
    }

    protected tell(name: string, result: ReencryptionResult): void {
        switch (result.kind) {
            case 'done':
                this.messages.info(result.stillNeeded
                    ? nls.localize('vouch/workspaces/reencrypt/doneStillNeeded', '{0} is re-encrypted, but more revocations came meanwhile: run it again.', name)
                    : localizePlural('vouch/workspaces/reencrypt/done', result.manifests, {
                        one: '{1} is re-encrypted (1 item): only its members can read it.',
                        other: '{1} is re-encrypted ({0} items): only its members can read it.'
                    }, name));
                break;
            case 'notNeeded':
                this.messages.info(nls.localize('vouch/workspaces/reencrypt/notNeeded', '{0} does not need re-encryption (any more).', name));
                break;
            case 'cancelled':
                this.messages.info(nls.localize('vouch/workspaces/reencrypt/cancelled',
                    'The re-encryption of {0} stopped at {1} of {2} items; it resumes there when you (or another Owner) run it again.', name, result.done, result.total));
                break;
        }
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}

function needKey(info: WorkspaceInfo): string {
    return `${info.workspaceId} ${info.revokedMembers.map(member => member.userId).sort().join(',')}`;
}

/** "Waiting for another Owner's run (12 of 40 items)", "12 of 40 items". */
function progressMessage(step: ReencryptionProgress): string {
    switch (step.phase) {
        case 'waiting': return nls.localize('vouch/workspaces/reencrypt/waiting', 'Another Owner\'s device is running it ({0} of {1} items): waiting', step.done, step.total);
        case 'rotating': return nls.localize('vouch/workspaces/reencrypt/rotating', 'New key for the remaining members');
        case 'reencrypting': return nls.localize('vouch/workspaces/reencrypt/items', '{0} of {1} items', step.done, step.total);
        case 'finishing': return nls.localize('vouch/workspaces/reencrypt/finishing', '{0} of {1} items: finishing', step.done, step.total);
    }
}
