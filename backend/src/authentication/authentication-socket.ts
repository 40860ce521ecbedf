import { AnonymousResponses, AnonymousSchemas, AuthErrorData, DeviceHandshakeSchema, DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { ServerLogger } from '../common/server-logger';
import { RequestHandlers } from '../transport/request-handler';
import { value } from '../transport/replies';
import { DeviceNamespace } from '../transport/socket-types';
import { AuthenticationService } from './authentication-service';
import { DeviceSession } from './authentication-types';

export function authenticationAnonymousHandlers(service: AuthenticationService, clock: () => number):
    Pick<RequestHandlers<AnonymousSchemas, AnonymousResponses, unknown>, 'auth.challenge'> {
    return {
        'auth.challenge': async () => value({ challenge: service.issueChallenge(clock()) })
    };
}

export function sessionDeviceHandlers(clock: () => number): Pick<RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>, 'session.info'> {
    return {
        'session.info': async (_request, session) => value({
            organizationId: session.organizationId, userId: session.userId, deviceId: session.deviceId,
            profile: session.profile, humanHandle: session.humanHandle, serverTime: new Date(clock()).toISOString()
        })
    };
}

function refusal(data: AuthErrorData): Error & { data: AuthErrorData } {
    return Object.assign(new Error(data.message), { data });
}

/** The device namespace admits a socket only with a signed, fresh, unused challenge. */
export function requireDeviceAuthentication(namespace: DeviceNamespace, service: AuthenticationService, clock: () => number, logger: ServerLogger): void {
    namespace.use((socket, next) => {
        const handshake = DeviceHandshakeSchema.safeParse(socket.handshake.auth);
        if (!handshake.success) {
            const issue = handshake.error.issues[0];
            next(refusal({ code: 'AUTH_BAD_PAYLOAD', message: `${issue.path.join('.') || 'auth'}: ${issue.message}` }));
            return;
        }
        service.authenticate(handshake.data, clock()).then(outcome => {
            if (!outcome.ok) {
                next(refusal(outcome.error));
                return;
            }
            socket.data.session = outcome.value;
            next();
        }, error => {
            logger.error('device authentication failed', error);
            next(new Error('The server could not check the handshake'));
        });
    });
}
