import { Disposable, DisposableCollection, Emitter, Event } from '@theia/core';
import { ReencryptionNeededEvent, Reply, WorkspaceChangedEvent, WorkspaceMaintenanceEvent, WorkspacesChangedEvent } from '@vouch/protocol';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { z } from 'zod';
import { WorkspaceConnection, WorkspaceEngineRequest, workspaceEngineRequests, WorkspaceEngineResponses } from '../common/workspace-engine-api';

/**
 * The engine's line to the server in the browser: the workbench's authenticated device
 * connection (core's `VouchConnection`), its requests and the workspace events it is pushed.
 */
export class DeviceWorkspaceConnection implements WorkspaceConnection, Disposable {
    protected readonly toDispose = new DisposableCollection();
    protected readonly onWorkspaceChangedEmitter = new Emitter<WorkspaceChangedEvent>();
    readonly onWorkspaceChanged: Event<WorkspaceChangedEvent> = this.onWorkspaceChangedEmitter.event;
    protected readonly onWorkspacesChangedEmitter = new Emitter<WorkspacesChangedEvent>();
    readonly onWorkspacesChanged: Event<WorkspacesChangedEvent> = this.onWorkspacesChangedEmitter.event;
    protected readonly onWorkspaceMaintenanceEmitter = new Emitter<WorkspaceMaintenanceEvent>();
    readonly onWorkspaceMaintenance: Event<WorkspaceMaintenanceEvent> = this.onWorkspaceMaintenanceEmitter.event;
    protected readonly onReencryptionNeededEmitter = new Emitter<ReencryptionNeededEvent>();
    readonly onReencryptionNeeded: Event<ReencryptionNeededEvent> = this.onReencryptionNeededEmitter.event;
    protected readonly onDidChangeConnectedEmitter = new Emitter<boolean>();
    readonly onDidChangeConnected: Event<boolean> = this.onDidChangeConnectedEmitter.event;
    protected wasConnected: boolean;

    constructor(protected readonly connection: VouchConnection) {
        this.wasConnected = this.connected;
        this.toDispose.pushAll([
            this.onWorkspaceChangedEmitter, this.onWorkspacesChangedEmitter, this.onWorkspaceMaintenanceEmitter, this.onReencryptionNeededEmitter,
            this.onDidChangeConnectedEmitter,
            connection.onPushed('device', 'workspace.changed', event => this.onWorkspaceChangedEmitter.fire(event)),
            connection.onPushed('device', 'workspaces.changed', event => this.onWorkspacesChangedEmitter.fire(event)),
            connection.onPushed('device', 'workspace.maintenance', event => this.onWorkspaceMaintenanceEmitter.fire(event)),
            connection.onPushed('device', 'workspaces.reencryptionNeeded', event => this.onReencryptionNeededEmitter.fire(event)),
            connection.onDidChangeState(() => {
                const connected = this.connected;
                if (connected !== this.wasConnected) {
                    this.wasConnected = connected;
                    this.onDidChangeConnectedEmitter.fire(connected);
                }
            })
        ]);
    }

    get connected(): boolean {
        return this.connection.state.state === 'connected';
    }

    /** Throws while not connected, so the engine waits for the connection instead of taking it for a refusal. */
    async request<K extends WorkspaceEngineRequest>(name: K, payload: z.input<typeof workspaceEngineRequests[K]>): Promise<Reply<WorkspaceEngineResponses[K]>> {
        if (!this.connected) {
            throw new Error('Not connected to the organization server');
        }
        // The engine's requests are device requests: each is typed by the same schemas there.
        return this.connection.request(name, payload as never) as Promise<Reply<WorkspaceEngineResponses[K]>>;
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
