import { Disposable, DisposableCollection, Emitter, Event, ILogger } from '@theia/core';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import { inject, injectable, named, optional, postConstruct } from '@theia/core/shared/inversify';
import { VouchSession, VouchSessionState } from './vouch-session';

/** What a view does with what it shows when the session changes state. */
export type SessionViewPolicy = 'load' | 'keep' | 'clear';

/**
 * One policy for every Vouch view. Connected: load. Connecting or reconnecting: keep what is
 * shown (the view says it may be out of date; requests would fail now anyway). No device,
 * locked or refused: clear, so nothing of the organization stays on screen for a device that
 * may no longer see it.
 */
export function sessionViewPolicy(state: VouchSessionState): SessionViewPolicy {
    switch (state) {
        case 'connected': return 'load';
        case 'connecting':
        case 'reconnecting': return 'keep';
        case 'no-device':
        case 'locked':
        case 'refused': return 'clear';
    }
}

/**
 * The base of the workbench's view models (users, history, invitations, join requests, the
 * join requester): a change event, disposal, the session policy above, and a coalesced
 * refresh — one load at a time, and any number of refreshes asked meanwhile make exactly one
 * more. A load is told when it was superseded (asked again, or cleared) so it drops its late
 * answer. With a progress location, each refresh shows Theia's progress in that view.
 */
@injectable()
export abstract class VouchModel implements Disposable {
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(ProgressService) @optional() protected readonly progressService?: ProgressService;
    @inject(ILogger) @named('vouch') @optional() protected readonly logger?: ILogger;

    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    /** The progress location of the view that shows this model (its widget creates the bar); none by default. */
    protected readonly progressLocation: string | undefined = undefined;

    protected refreshing?: Promise<void>;
    protected refreshAgain = false;
    /** Bumped whenever what is shown is dropped, so a load started earlier does not bring it back. */
    protected generation = 0;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.session.onDidChangeState(state => this.followSession(state))
        ]);
        if (this.session.state === 'connected') {
            this.refresh();
        }
    }

    /** A refresh is running or queued. */
    get loading(): boolean {
        return this.refreshing !== undefined;
    }

    /** What is shown was loaded before the connection dropped: the view says it may be out of date. */
    get stale(): boolean {
        return sessionViewPolicy(this.session.state) === 'keep';
    }

    protected followSession(state: VouchSessionState): void {
        switch (sessionViewPolicy(state)) {
            case 'load':
                this.refresh();
                break;
            case 'keep':
                this.fireDidChange();
                break;
            case 'clear':
                this.generation++;
                this.clear();
                this.fireDidChange();
                break;
        }
    }

    /** Loads again; while a load runs, asks for one more after it. Resolves once what was asked is shown. */
    refresh(): Promise<void> {
        if (this.refreshing) {
            this.refreshAgain = true;
            return this.refreshing;
        }
        this.refreshing = this.withProgress(() => this.runLoads()).finally(() => {
            this.refreshing = undefined;
            this.fireDidChange();
        });
        this.fireDidChange();
        return this.refreshing;
    }

    protected async runLoads(): Promise<void> {
        do {
            this.refreshAgain = false;
            const generation = this.generation;
            try {
                await this.load(() => this.refreshAgain || generation !== this.generation);
            } catch (error) {
                this.logger?.error('A Vouch view could not load', error);
            }
        } while (this.refreshAgain);
    }

    protected withProgress(work: () => Promise<void>): Promise<void> {
        const location = this.progressLocation;
        return location && this.progressService ? this.progressService.withProgress('', location, work) : work();
    }

    /**
     * Reads what the view shows. `superseded()` turns true when another refresh was asked or
     * the model was cleared meanwhile: then the answer is dropped, not shown.
     */
    protected abstract load(superseded: () => boolean): Promise<void>;

    /** Drops what the view shows (the session may no longer see it). */
    protected abstract clear(): void;

    protected fireDidChange(): void {
        this.onDidChangeEmitter.fire();
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
