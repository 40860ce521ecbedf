import { Disposable, DisposableCollection, Emitter, Event } from '@theia/core';
import { Reply, WorkspaceChangedEvent, WorkspacesChangedEvent, WorkspacesDeviceResponses, workspacesDeviceRequests } from '@vouch/protocol';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { z } from 'zod';
import { WorkspaceConnection } from '../common/workspace-engine-api';

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
    protected readonly onDidChangeConnectedEmitter = new Emitter<boolean>();
    readonly onDidChangeConnected: Event<boolean> = this.onDidChangeConnectedEmitter.event;
    protected wasConnected: boolean;

    constructor(protected readonly connection: VouchConnection) {
        this.wasConnected = this.connected;
        this.toDispose.pushAll([
            this.onWorkspaceChangedEmitter, this.onWorkspacesChangedEmitter, this.onDidChangeConnectedEmitter,
            connection.onPushed('device', 'workspace.changed', event => this.onWorkspaceChangedEmitter.fire(event)),
            connection.onPushed('device', 'workspaces.changed', event => this.onWorkspacesChangedEmitter.fire(event)),
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

    request<K extends keyof typeof workspacesDeviceRequests>(name: K, payload: z.input<typeof workspacesDeviceRequests[K]>): Promise<Reply<WorkspacesDeviceResponses[K]>> {
        return this.connection.request(name, payload);
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
