import { Emitter } from '@theia/core/lib/common/event';
import { io, Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, DEVICE_NAMESPACE, Certificate, ReencryptionNeededEvent, Reply, SignedCertificate, signCertificate, VOUCH_SOCKET_PATH, WorkspaceChangedEvent,
    WorkspaceMaintenanceEvent, WorkspacesChangedEvent, fromBase64Url
} from '@vouch/protocol';
import { nodeEd25519 } from '@vouch/server/lib/crypto/node-ed25519';
import { TestDevice, signedHandshake } from '@vouch/server/lib/testing/organization-fixtures';
import { WorkspaceConnection, WorkspaceEngineRequest, WorkspaceEngineResponses, WorkspaceIdentity } from '@vouch/workspaces';

/**
 * The engine's connection over a real Socket.IO device client, as Node tests and benchmarks use
 * it: it signs the server's challenge at every (re)connection, never queues a request while
 * disconnected (socket.io would send it on reconnection, after the engine gave up on it), and
 * lets a test drop and restore the connection.
 */
export class SocketWorkspaceConnection implements WorkspaceConnection {
    readonly socket: Socket;
    protected readonly onWorkspaceChangedEmitter = new Emitter<WorkspaceChangedEvent>();
    readonly onWorkspaceChanged = this.onWorkspaceChangedEmitter.event;
    protected readonly onWorkspacesChangedEmitter = new Emitter<WorkspacesChangedEvent>();
    readonly onWorkspacesChanged = this.onWorkspacesChangedEmitter.event;
    protected readonly onWorkspaceMaintenanceEmitter = new Emitter<WorkspaceMaintenanceEvent>();
    readonly onWorkspaceMaintenance = this.onWorkspaceMaintenanceEmitter.event;
    protected readonly onReencryptionNeededEmitter = new Emitter<ReencryptionNeededEvent>();
    readonly onReencryptionNeeded = this.onReencryptionNeededEmitter.event;
    protected readonly onDidChangeConnectedEmitter = new Emitter<boolean>();
    readonly onDidChangeConnected = this.onDidChangeConnectedEmitter.event;
    /** Every request sent, by name (tests count block uploads). */
    readonly sent: string[] = [];
    /** Called before each request goes out (tests cut the connection at a chosen moment). */
    beforeRequest: ((name: string) => void) | undefined;

    constructor(readonly url: string, readonly organizationId: string, readonly device: TestDevice) {
        this.socket = io(`${url}${DEVICE_NAMESPACE}`, {
            path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
            auth: async (callback: (auth: object) => void) => {
                const anonymous = io(`${url}${ANONYMOUS_NAMESPACE}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
                try {
                    const challenge = await anonymous.timeout(10_000).emitWithAck('auth.challenge', {}) as Reply<{ challenge: string }>;
                    callback(challenge.ok ? signedHandshake(organizationId, device, challenge.value.challenge) : {});
                } finally {
                    anonymous.close();
                }
            }
        });
        this.socket.on('workspace.changed', (event: WorkspaceChangedEvent) => this.onWorkspaceChangedEmitter.fire(event));
        this.socket.on('workspaces.changed', (event: WorkspacesChangedEvent) => this.onWorkspacesChangedEmitter.fire(event));
        this.socket.on('workspace.maintenance', (event: WorkspaceMaintenanceEvent) => this.onWorkspaceMaintenanceEmitter.fire(event));
        this.socket.on('workspaces.reencryptionNeeded', (event: ReencryptionNeededEvent) => this.onReencryptionNeededEmitter.fire(event));
        this.socket.on('connect', () => this.onDidChangeConnectedEmitter.fire(true));
        this.socket.on('disconnect', () => this.onDidChangeConnectedEmitter.fire(false));
    }

    get connected(): boolean {
        return this.socket.connected;
    }

    /** Connects (again); resolves once authenticated. */
    connect(): Promise<void> {
        return new Promise((resolve, reject) => {
            this.socket.once('connect', () => resolve());
            this.socket.once('connect_error', error => reject(error));
            this.socket.connect();
        });
    }

    /** Drops the connection as a network failure would. */
    drop(): void {
        this.socket.disconnect();
    }

    async request<K extends WorkspaceEngineRequest>(name: K, payload: unknown): Promise<Reply<WorkspaceEngineResponses[K]>> {
        this.beforeRequest?.(name);
        if (!this.socket.connected) {
            throw new Error('Not connected');
        }
        this.sent.push(name);
        return this.socket.timeout(30_000).emitWithAck(name, payload);
    }

    close(): void {
        this.socket.close();
        this.onWorkspaceChangedEmitter.dispose();
        this.onWorkspacesChangedEmitter.dispose();
        this.onWorkspaceMaintenanceEmitter.dispose();
        this.onReencryptionNeededEmitter.dispose();
        this.onDidChangeConnectedEmitter.dispose();
    }
}

/** The engine's identity for a test device: its keys held in memory, certificates signed with Node's Ed25519. */
export function testIdentity(device: TestDevice, rootVerifyKey: string): WorkspaceIdentity {
    return {
        userId: device.userId,
        deviceId: device.deviceId,
        displayName: device.label,
        userKey: { privateKey: device.userKey!.privateKey, publicKey: device.userKey!.publicKey },
        rootVerifyKey: fromBase64Url(rootVerifyKey)!,
        sign: async (contents: readonly object[]): Promise<SignedCertificate[]> =>
            contents.map(content => signCertificate(content as Certificate, device.signingKey.secretKey, nodeEd25519))
    };
}
