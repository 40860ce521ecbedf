import * as http from 'http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import {
    ANONYMOUS_NAMESPACE, AnonymousResponses, anonymousRequestSchemas, DEVICE_NAMESPACE, DeviceResponses, deviceRequestSchemas, invitationAnonymousRequests,
    joinRequestsAnonymousRequests, MAX_MESSAGE_BYTES, mayRequest, VOUCH_SOCKET_PATH, whoMayRequest
} from '@vouch/protocol';
import { authenticationAnonymousHandlers, requireDeviceAuthentication, sessionDeviceHandlers } from '../authentication/authentication-socket';
import { DeviceSession } from '../authentication/authentication-types';
import { EventSubscription } from '../common/event-bus';
import { ServerLogger } from '../common/server-logger';
import { InvitationPresence } from '../invitation/invitation-service';
import { invitationAnonymousHandlers, invitationDeviceHandlers } from '../invitation/invitation-socket';
import { joinRequestsAnonymousHandlers, joinRequestsDeviceHandlers } from '../join-requests/join-requests-socket';
import { organizationAnonymousHandlers, organizationDeviceHandlers } from '../organization/organization-socket';
import { VouchServices } from '../services';
import { userChangesDeviceHandlers } from '../users/user-changes-socket';
import { usersDeviceHandlers } from '../users/users-socket';
import { workspacesDeviceHandlers } from '../workspaces/workspaces-socket';
import { reencryptionDeviceHandlers } from '../workspaces/reencryption-socket';
import { fanOutReencryptionEvents } from './reencryption-fanout';
import { applyProfile, closeRevokedSocket, fanOutEvents } from './event-fanout';
import { anonymousRequestRate, greetingConnection, guestClaimed, requesterFollower, roomPresence } from './presence';
import { RedisConnection } from './redis-connection';
import { RequestHandlers, serveRequests } from './request-handler';
import { AnonymousNamespace, DeviceNamespace, rooms } from './socket-types';

export interface SocketServerOptions {
    readonly httpServer: http.Server;
    readonly publicUrl: string;
    readonly allowedOrigins: readonly string[];
    /** With several instances: the adapter reads presence on all of them. */
    readonly redis?: RedisConnection;
}

/**
 * The origin of the desktop app's workbench, which Electron loads from a file. A local file is
 * no website: it comes from the user's own installation, and a connection from it gets nothing
 * more than a client that sends no Origin at all (no cookie or other ambient credential counts
 * here; a device proves itself by signing the server's challenge).
 */
export const DESKTOP_APP_ORIGIN = 'file://';

/**
 * Browsers send Origin; only the server's own origin (as the client reached it, or the
 * public URL), the desktop app's and configured ones may connect. Non-browser clients send none.
 */
export function originAllowed(request: Pick<http.IncomingMessage, 'headers'>, allowed: ReadonlySet<string>): boolean {
    const origin = request.headers.origin;
    if (!origin || origin === DESKTOP_APP_ORIGIN) {
        return true;
    }
    if (allowed.has(origin)) {
        return true;
    }
    try {
        return new URL(origin).host === request.headers.host;
    } catch {
        return false;
    }
}

/**
 * The Socket.IO side of the server, on its own path: the anonymous and device namespaces, typed
 * with the protocol's event maps. Created before the services (they read presence from its
 * rooms), then `serve` gives it their handlers and the bus's events to push.
 */
export class SocketServer {
    protected subscription?: EventSubscription;

    protected constructor(
        readonly io: Server,
        readonly devices: DeviceNamespace,
        readonly anonymous: AnonymousNamespace
    ) { }

    static create(options: SocketServerOptions): SocketServer {
        const allowed = new Set([new URL(options.publicUrl).origin, ...options.allowedOrigins.map(origin => new URL(origin).origin)]);
        const io = new Server(options.httpServer, {
            path: VOUCH_SOCKET_PATH,
            maxHttpBufferSize: MAX_MESSAGE_BYTES,
            // Theia's own engine.io shares this HTTP server: leave upgrades on other paths to it.
            destroyUpgrade: false,
            serveClient: false,
            allowRequest: (request, callback) => callback(null, originAllowed(request, allowed))
        });
        if (options.redis) {
            io.adapter(createAdapter(options.redis.pub, options.redis.sub));
        }
        return new SocketServer(io, io.of(DEVICE_NAMESPACE) as DeviceNamespace, io.of(ANONYMOUS_NAMESPACE) as AnonymousNamespace);
    }

    get presence(): InvitationPresence {
        return roomPresence(this.devices, this.anonymous);
    }

    serve(services: VouchServices, clock: () => number, logger: ServerLogger): void {
        const anonymousHandlers: Omit<RequestHandlers<typeof anonymousRequestSchemas, AnonymousResponses, unknown>,
            keyof typeof joinRequestsAnonymousRequests | keyof typeof invitationAnonymousRequests> = {
            ...authenticationAnonymousHandlers(services.authentication, clock),
            ...organizationAnonymousHandlers(services.organizations, clock)
        };
        this.anonymous.on('connection', socket => {
            // Anyone may open one: each connection is held to a request rate (and its state to a bound).
            const rate = anonymousRequestRate(Date.now);
            serveRequests(socket, anonymousRequestSchemas, {
                ...anonymousHandlers,
                // Per connection: a requester asking for its status joins the room where the decision is pushed.
                ...joinRequestsAnonymousHandlers(services.joinRequests, clock, requesterFollower(socket)),
                // Per connection too: a guest that claims its invitation joins the rooms of its greeting.
                ...invitationAnonymousHandlers(services.invitations, services.greetings, clock, guestClaimed(socket, services.invitations, logger),
                    greetingConnection(socket, 'guest', services.greetingLiveness))
            }, undefined, logger, () => rate.take());
        });

        const deviceHandlers: Omit<RequestHandlers<typeof deviceRequestSchemas, DeviceResponses, DeviceSession>, keyof ReturnType<typeof invitationDeviceHandlers>> = {
            ...sessionDeviceHandlers(clock),
            ...usersDeviceHandlers(services.users, clock),
            ...userChangesDeviceHandlers(services.userChanges, clock),
            ...organizationDeviceHandlers(services.organizations, services.certificates, clock),
            ...joinRequestsDeviceHandlers(services.joinRequests, clock),
            ...workspacesDeviceHandlers(services.workspaces, clock),
            ...reencryptionDeviceHandlers(services.reencryption, clock)
        };
        requireDeviceAuthentication(this.devices, services.authentication, clock, logger);
        this.devices.on('connection', socket => {
            const session = socket.data.session;
            // The rooms are the audiences of the event table: a device hears what its profile admits.
            socket.join([
                rooms.organization(session.organizationId), rooms.user(session.organizationId, session.userId), rooms.device(session.organizationId, session.deviceId),
                ...(session.profile === 'ADMINISTRATOR' ? [rooms.administrators(session.organizationId)] : [])
            ]);
            // The handshake read the user before the socket was in its rooms: a revocation or profile
            // change committed in between reached no room. Read again now that any later one reaches
            // it; requests wait for this second look.
            const standing = Promise.all([services.authentication.standing(session), services.workspaces.workspaceIdsOf(session)]).then(([current, workspaceIds]) => {
                if (!current || current.revoked) {
                    closeRevokedSocket(socket);
                    return false;
                }
                applyProfile(socket, current.profile);
                // Its workspaces' changes, from now on (later grants and removals move it in and out).
                socket.join(workspaceIds.map(workspaceId => rooms.workspace(session.organizationId, workspaceId)));
                return true;
            }, error => {
                logger.error('Could not re-read a connecting device', error);
                socket.disconnect(true);
                return false;
            });
            serveRequests(socket, deviceRequestSchemas, {
                ...deviceHandlers,
                // Per connection: the host's socket holds the greetings it starts and speaks for.
                ...invitationDeviceHandlers(services.invitations, services.greetings, clock, greetingConnection(socket, 'host', services.greetingLiveness))
            }, session, logger, async (event, { profile }) => {
                if (!await standing) {
                    return { code: 'NOT_ALLOWED', message: 'This device may no longer send requests' };
                }
                return mayRequest(profile, event) ? undefined : { code: 'NOT_ALLOWED', message: whoMayRequest(event) };
            });
        });
        const fanOut = [fanOutEvents(services.bus, this.devices, this.anonymous), fanOutReencryptionEvents(services.bus, this.devices)];
        this.subscription = { dispose: () => fanOut.forEach(subscription => subscription.dispose()) };
    }

    async close(): Promise<void> {
        this.subscription?.dispose();
        for (const namespace of [this.devices, this.anonymous]) {
            namespace.local.disconnectSockets(true);
        }
        // io.close() would also close an HTTP server we may not own: close only the engine.
        this.io.engine.close();
        await Promise.allSettled([this.io.of('/'), this.devices, this.anonymous].map(async namespace => namespace.adapter.close()));
    }
}
