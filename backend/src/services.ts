import { randomBytes } from 'crypto';
import { AuthenticationService, AUTH_SECRET_NAME } from './authentication/authentication-service';
import { CertificateEvents } from './common/certificate-events';
import { DatabaseConfig } from './config';
import { nodeEd25519 } from './crypto/node-ed25519';
import { OrganizationService } from './organization/organization-service';
import { Database } from './persistence/database';
import { TypeormAuthenticationRepository } from './persistence/typeorm-authentication-repository';
import { TypeormOrganizationRepository } from './persistence/typeorm-organization-repository';
import { TypeormUsersRepository } from './persistence/typeorm-users-repository';
import { TypeormUserChangesRepository } from './persistence/typeorm-user-changes-repository';
import { UserChangesService } from './users/user-changes-service';
import { UserChangeEvents } from './users/user-changes-types';
import { UsersService } from './users/users-service';
import { InvitationEnvironment, InvitationService } from './invitation/invitation-service';
import { TypeormInvitationRepository } from './persistence/typeorm-invitation-repository';
import { JoinRequestsConfig } from './join-requests/join-requests-config';
import { JoinRequestEvents, JoinRequestsService } from './join-requests/join-requests-service';
import { OidcSignIn } from './join-requests/oidc-sign-in';
import { SamlSignIn } from './join-requests/saml-sign-in';
import { PkiVerifier } from './join-requests/pki-verifier';
import { TypeormJoinRequestsRepository } from './persistence/typeorm-join-requests-repository';

export interface VouchServices {
    readonly database: Database;
    readonly organizations: OrganizationService;
    readonly authentication: AuthenticationService;
    readonly users: UsersService;
    readonly invitations: InvitationService;
    /** Mailer, links and transport events of invitations, set once the server listens. */
    readonly invitationEnvironment: InvitationEnvironment;
    readonly joinRequests: JoinRequestsService;
    /** Set by the transport once it exists: admins reload, requesters hear the decision. */
    readonly joinRequestEvents: { target?: JoinRequestEvents };
    /** Identity providers' sign-ins, whose answers come back over HTTP. */
    readonly joinSignIns: { readonly oidc?: OidcSignIn; readonly saml?: SamlSignIn };
    readonly userChanges: UserChangesService;
    /** Set by the transport once it exists, so live sessions follow profile changes and revocations. */
    readonly userChangeEvents: { target?: UserChangeEvents };
}

/** Events that fire before the transport exists (CLI commands) go nowhere. */
class DeferredCertificateEvents implements CertificateEvents {
    target?: CertificateEvents;
    onDidAddCertificates(...args: Parameters<CertificateEvents['onDidAddCertificates']>): void {
        this.target?.onDidAddCertificates(...args);
    }
}

/** Opens the database (running migrations) and wires the domain services onto it. */
export async function openServices(database: DatabaseConfig, joinRequestsConfig?: JoinRequestsConfig, clock: () => number = Date.now): Promise<VouchServices & { events: DeferredCertificateEvents }> {
    const db = await Database.open(database);
    try {
        const events = new DeferredCertificateEvents();
        const userChangeEvents: { target?: UserChangeEvents } = {};
        const joinRequestEvents: { target?: JoinRequestEvents } = {};
        const organizations = new OrganizationService(new TypeormOrganizationRepository(db), db, nodeEd25519, events);
        const pki = joinRequestsConfig && joinRequestsConfig.trustAnchors.length > 0 ? PkiVerifier.create(joinRequestsConfig.trustAnchors, joinRequestsConfig.crls) : undefined;
        const joinRepository = new TypeormJoinRequestsRepository(db);
        const joinSignIns = {
            ...(joinRequestsConfig?.oidc ? { oidc: new OidcSignIn(joinRequestsConfig.oidc, joinRepository) } : {}),
            ...(joinRequestsConfig?.saml ? { saml: new SamlSignIn(joinRequestsConfig.saml, joinRepository, clock) } : {})
        };
        const invitationEnvironment = new InvitationEnvironment();
        const authRepository = new TypeormAuthenticationRepository(db);
        const secret = await authRepository.loadOrCreateServerSecret(AUTH_SECRET_NAME, randomBytes(32));
        return {
            database: db,
            events,
            organizations,
            authentication: new AuthenticationService(authRepository, nodeEd25519, secret),
            users: new UsersService(new TypeormUsersRepository(db)),
            invitations: new InvitationService(new TypeormInvitationRepository(db), db, organizations, invitationEnvironment),
            invitationEnvironment,
            userChanges: new UserChangesService(new TypeormOrganizationRepository(db), new TypeormUserChangesRepository(db), db, nodeEd25519, events, userChangeEvents),
            userChangeEvents,
            joinRequests: new JoinRequestsService(joinRepository, organizations, {
                onDidChangeJoinRequests: (...args) => joinRequestEvents.target?.onDidChangeJoinRequests(...args),
                onDidDecideJoinRequest: (...args) => joinRequestEvents.target?.onDidDecideJoinRequest(...args)
            }, pki, joinSignIns),
            joinRequestEvents,
            joinSignIns
        };
    } catch (error) {
        await db.close();
        throw error;
    }
}
