import * as http from 'http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import {
    ANONYMOUS_NAMESPACE, AnonymousResponses, anonymousRequestSchemas, CertificatesAddedEvent, DEVICE_NAMESPACE, DeviceResponses,
    deviceRequestSchemas, invitationAnonymousRequests, joinRequestsAnonymousRequests, MAX_MESSAGE_BYTES, mayRequest, whoMayRequest, OrganizationId, VOUCH_SOCKET_PATH
} from '@vouch/protocol';
import { authenticationAnonymousHandlers, requireDeviceAuthentication, sessionDeviceHandlers } from '../authentication/authentication-socket';
import { DeviceSession } from '../authentication/authentication-types';
import { CertificateEvents } from '../common/certificate-events';
import { ServerLogger } from '../common/server-logger';
import { organizationAnonymousHandlers, organizationDeviceHandlers } from '../organization/organization-socket';
import { VouchServices } from '../services';
import { usersDeviceHandlers } from '../users/users-socket';
import { userChangesDeviceHandlers } from '../users/user-changes-socket';
import { closeRevokedSocket, liveSessionFanout, updateSessionProfile } from './live-sessions';
import { joinRequestRoom, joinRequestsAnonymousHandlers, joinRequestsDeviceHandlers } from '../join-requests/join-requests-socket';
import { RequestHandlers, serveRequests } from './request-handler';
import { invitationAnonymousHandlers, invitationDeviceHandlers } from '../invitation/invitation-socket';
import { guestClaimed, invitationFanout } from './invitation-fanout';

export const organizationRoom = (organizationId: OrganizationId) => `org:${organizationId}`;
export const userRoom = (organizationId: OrganizationId, userId: string) => `user:${organizationId}:${userId}`;
export const deviceRoom = (organizationId: OrganizationId, deviceId: string) => `device:${organizationId}:${deviceId}`;

export interface SocketServerOptions {
    readonly httpServer: http.Server;
    readonly services: VouchServices;
    readonly clock: () => number;
    readonly logger: ServerLogger;
    readonly publicUrl: string;
    readonly allowedOrigins: readonly string[];
    readonly redisUrl?: string;
}

export interface SocketServer extends CertificateEvents {
    readonly io: Server;
    close(): Promise<void>;
}

/**
 * Browsers send Origin; only the server's own origin (as the client reached it, or the
 * public URL) and configured ones may connect. Non-browser clients send none.
 */
function originAllowed(request: http.IncomingMessage, allowed: Set<string>): boolean {
    const origin = request.headers.origin;
    if (!origin) {
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

export async function createSocketServer(options: SocketServerOptions): Promise<SocketServer> {
    const { services, clock, logger } = options;
    const allowed = new Set([new URL(options.publicUrl).origin, ...options.allowedOrigins.map(origin => new URL(origin).origin)]);
    // Redis first: if it is unreachable, start fails before anything is attached to the HTTP server.
    const redis = options.redisUrl ? await connectRedis(options.redisUrl, logger) : undefined;
    const io = new Server(options.httpServer, {
        path: VOUCH_SOCKET_PATH,
        maxHttpBufferSize: MAX_MESSAGE_BYTES,
        // Theia's own engine.io shares this HTTP server: leave upgrades on other paths to it.
        destroyUpgrade: false,
        serveClient: false,
        allowRequest: (request, callback) => callback(null, originAllowed(request, allowed))
    });
    if (redis) {
        io.adapter(createAdapter(redis.pub, redis.sub));
    }

    const anonymousHandlers: Omit<RequestHandlers<typeof anonymousRequestSchemas, AnonymousResponses, unknown>, keyof typeof joinRequestsAnonymousRequests | keyof typeof invitationAnonymousRequests> = {
        ...authenticationAnonymousHandlers(services.authentication, clock),
        ...organizationAnonymousHandlers(services.organizations, clock)
    };
    io.of(ANONYMOUS_NAMESPACE).on('connection', socket => serveRequests(socket, anonymousRequestSchemas, {
        ...anonymousHandlers,
        // Per connection: a requester asking for its status joins the room where the decision is pushed.
        ...joinRequestsAnonymousHandlers(services.joinRequests, clock, room => socket.join(room)),
        // Per connection too: a guest that claims its invitation joins the rooms of its greeting.
        ...invitationAnonymousHandlers(services.invitations, clock, guestClaimed(socket, services.invitations, logger))
    }, undefined, logger));

    const deviceHandlers: RequestHandlers<typeof deviceRequestSchemas, DeviceResponses, DeviceSession> = {
        ...sessionDeviceHandlers(clock),
        ...usersDeviceHandlers(services.users, clock),
        ...userChangesDeviceHandlers(services.userChanges, clock),
        ...organizationDeviceHandlers(services.organizations, clock),
        ...joinRequestsDeviceHandlers(services.joinRequests, clock),
        ...invitationDeviceHandlers(services.invitations, clock)
    };
    const devices = io.of(DEVICE_NAMESPACE);
    requireDeviceAuthentication(devices, services.authentication, clock, logger);
    const liveSessions = liveSessionFanout(devices, redis !== undefined, userRoom);
    services.userChangeEvents.target = liveSessions;
    devices.on('connection', socket => {
        const session = socket.data.session as DeviceSession;
        // Per-user and per-device rooms let later features (revocation, invitations) reach them on any instance.
        socket.join([organizationRoom(session.organizationId), userRoom(session.organizationId, session.userId), deviceRoom(session.organizationId, session.deviceId)]);
        // The handshake read the user before the socket was in its rooms: a revocation or profile
        // change committed in between reached no room. Read again now that any later one reaches
        // it; requests wait for this second look.
        const standing = services.authentication.standing(session).then(current => {
            if (!current || current.revoked) {
                closeRevokedSocket(socket);
                return false;
            }
            updateSessionProfile(socket, current.profile);
            return true;
        }, error => {
            logger.error('Could not re-read a connecting device', error);
            socket.disconnect(true);
            return false;
        });
        serveRequests(socket, deviceRequestSchemas, deviceHandlers, session, logger, async (event, { profile }) => {
            if (!await standing) {
                return { code: 'NOT_ALLOWED', message: 'This device may no longer send requests' };
            }
            return mayRequest(profile, event) ? undefined : { code: 'NOT_ALLOWED', message: whoMayRequest(event) };
        });
    });

    services.invitationEnvironment.events = invitationFanout(devices, io.of(ANONYMOUS_NAMESPACE), {
        organization: organizationRoom, user: userRoom, device: deviceRoom
    });
    services.joinRequestEvents.target = {
        onDidChangeJoinRequests: (organizationId, requestId) => devices.to(organizationRoom(organizationId)).emit('joinRequests.changed', { requestId }),
        onDidDecideJoinRequest: (organizationId, claimHash, status) => io.of(ANONYMOUS_NAMESPACE).to(joinRequestRoom(organizationId, claimHash)).emit('joinRequests.decided', status)
    };

    return {
        io,
        onDidAddCertificates(organizationId: OrganizationId, event: CertificatesAddedEvent): void {
            devices.to(organizationRoom(organizationId)).emit('certificates.added', event);
        },
        async close(): Promise<void> {
            for (const namespace of [devices, io.of(ANONYMOUS_NAMESPACE)]) {
                namespace.local.disconnectSockets(true);
            }
            // io.close() would also close an HTTP server we may not own: close only the engine.
            io.engine.close();
            await Promise.allSettled([io.of('/'), devices, io.of(ANONYMOUS_NAMESPACE)].map(async namespace => namespace.adapter.close()));
            if (redis) {
                await Promise.allSettled([redis.pub.close(), redis.sub.close()]);
            }
        }
    };
}

async function connectRedis(url: string, logger: ServerLogger) {
    // Retry forever once connected (Redis restarts), but fail start quickly if it was never reachable.
    let reachedOnce = false;
    const reconnectStrategy = (retries: number, cause: Error) => !reachedOnce && retries >= 5 ? cause : Math.min(100 * (retries + 1), 2000);
    const pub = createClient({ url, socket: { reconnectStrategy } });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
        client.on('ready', () => { reachedOnce = true; });
        client.on('error', error => {
            if (reachedOnce) {
                logger.error('Redis connection error', error);
            }
        });
    }
    try {
        await Promise.all([pub.connect(), sub.connect()]);
    } catch (error) {
        // quit() would wait for a client still retrying; destroy() stops it at once.
        [pub, sub].filter(client => client.isOpen).forEach(client => client.destroy());
        throw new Error(`Cannot connect to Redis at ${url.replace(/\/\/[^@]*@/, '//…@')}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { pub, sub };
}
