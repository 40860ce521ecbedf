import { Disposable, DisposableCollection, Emitter, Event, ILogger } from '@theia/core';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { VouchSession, VouchSessionState } from '@vouch/core/lib/browser/vouch-session';
import { WorkspaceConnection, WorkspaceEngine, WorkspaceIdentity, WorkspaceInfo, WorkspaceLocalStore } from '../common/workspace-engine-api';
import { DeviceWorkspaceConnection } from './device-workspace-connection';
import { deviceWorkspaceIdentity } from './device-workspace-identity';
import { IndexedDbWorkspaceStore } from './indexed-db-workspace-store';

/** Makes the engine from its host's parts (the engine's own factory, bound by the frontend module). */
export const WorkspaceEngineFactory = Symbol('WorkspaceEngineFactory');
export type WorkspaceEngineFactory = (host: { connection: WorkspaceConnection; identity: WorkspaceIdentity; store: WorkspaceLocalStore }) => WorkspaceEngine;

/** States in which the device's keys are in hand: the engine lives through reconnections. */
const UNLOCKED: readonly VouchSessionState[] = ['connecting', 'connected', 'reconnecting'];

/**
 * One workspace engine per unlocked session: made when the device is unlocked, disposed when
 * it is locked, forgotten or refused (its keys are then gone). Its cache is an IndexedDB
 * database of the user's own, kept across reloads so reopening is instant and offline edits
 * survive.
 */
@injectable()
export class WorkspaceEngineHost implements Disposable {
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(WorkspaceEngineFactory) protected readonly createEngine: WorkspaceEngineFactory;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected current?: { readonly engine: WorkspaceEngine; readonly deviceId: string; readonly toDispose: DisposableCollection };
    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEngineEmitter = new Emitter<WorkspaceEngine | undefined>();
    /** An engine was made (unlocked) or disposed (locked). */
    readonly onDidChangeEngine: Event<WorkspaceEngine | undefined> = this.onDidChangeEngineEmitter.event;
    protected readonly onDidChangeWorkspacesEmitter = new Emitter<readonly WorkspaceInfo[]>();
    /** The user's workspaces changed (listed, shared, renamed, synced), or the engine came or went. */
    readonly onDidChangeWorkspaces: Event<readonly WorkspaceInfo[]> = this.onDidChangeWorkspacesEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEngineEmitter,
            this.onDidChangeWorkspacesEmitter,
            this.session.onDidChangeState(state => this.follow(state)),
            Disposable.create(() => this.stop())
        ]);
        this.follow(this.session.state);
    }

    get engine(): WorkspaceEngine | undefined {
        return this.current?.engine;
    }

    /** The user's workspaces as the engine knows them; none while locked. */
    get workspaces(): readonly WorkspaceInfo[] {
        return this.current?.engine.workspaces ?? [];
    }

    workspace(workspaceId: string): WorkspaceInfo | undefined {
        return this.workspaces.find(info => info.workspaceId === workspaceId);
    }

    /** The unlocked device the engine acts as. */
    get deviceId(): string | undefined {
        return this.current?.deviceId;
    }

    protected follow(state: VouchSessionState): void {
        const deviceId = this.session.device?.deviceId;
        if (!UNLOCKED.includes(state) || deviceId === undefined) {
            this.stop();
            return;
        }
        if (this.current?.deviceId === deviceId) {
            return;
        }
        this.stop();
        const identity = deviceWorkspaceIdentity(this.session);
        if (!identity) {
            return;
        }
        const toDispose = new DisposableCollection();
        const connection = new DeviceWorkspaceConnection(this.connection);
        const store = new IndexedDbWorkspaceStore({ databaseName: `vouch-workspaces-${identity.userId}` });
        toDispose.push(connection);
        toDispose.push(Disposable.create(() => store.close()));
        const engine = this.createEngine({ connection, identity, store });
        // The engine goes first: it may still write to its store and listen to the connection while it stops.
        toDispose.push(engine);
        toDispose.push(engine.onDidChangeWorkspaces(workspaces => this.onDidChangeWorkspacesEmitter.fire(workspaces)));
        this.current = { engine, deviceId, toDispose };
        this.onDidChangeEngineEmitter.fire(engine);
        this.onDidChangeWorkspacesEmitter.fire(engine.workspaces);
        // Not connected yet, the engine lists them once it is (it follows the connection).
        if (connection.connected) {
            engine.refresh().catch(error => this.logger.warn(`Workspaces could not be listed: ${error}`));
        }
    }

    protected stop(): void {
        const current = this.current;
        if (!current) {
            return;
        }
        this.current = undefined;
        // DisposableCollection disposes in reverse order of pushing: the engine, then the store and connection.
        current.toDispose.dispose();
        this.onDidChangeEngineEmitter.fire(undefined);
        this.onDidChangeWorkspacesEmitter.fire([]);
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
