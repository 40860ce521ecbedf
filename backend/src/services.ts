import { randomBytes } from 'crypto';
import { AuthenticationService, AUTH_SECRET_NAME } from './authentication/authentication-service';
import { EventBus, LocalEventBus } from './common/event-bus';
import { ServerLogger, silentLogger } from './common/server-logger';
import { DatabaseConfig } from './config';
import { nodeEd25519 } from './crypto/node-ed25519';
import { GreetingAttempts } from './invitation/greeting-attempts';
import { GreetingLiveness, GreetingLivenessOptions, GREETING_RECONNECT_GRACE_MS, GREETING_SWEEP_EVERY_MS } from './invitation/greeting-liveness';
import { GreetingService } from './invitation/greeting-service';
import { InvitationMailer } from './invitation/invitation-mailer';
import { InvitationPresence, InvitationService, NO_PRESENCE } from './invitation/invitation-service';
import { JoinRequestsConfig } from './join-requests/join-requests-config';
import { JoinRequestsService } from './join-requests/join-requests-service';
import { OidcSignIn } from './join-requests/oidc-sign-in';
import { PkiVerifier } from './join-requests/pki-verifier';
import { SamlSignIn } from './join-requests/saml-sign-in';
import { CertificateContexts } from './organization/certificate-contexts';
import { CertificateLog } from './organization/certificate-log';
import { CertificatesService } from './organization/certificates-service';
import { OrganizationService } from './organization/organization-service';
import { Database } from './persistence/database';
import { TypeormAuthenticationRepository } from './persistence/typeorm-authentication-repository';
import { TypeormCertificateLogRepository } from './persistence/typeorm-certificate-log-repository';
import { TypeormInvitationRepository } from './persistence/typeorm-invitation-repository';
import { TypeormJoinRequestsRepository } from './persistence/typeorm-join-requests-repository';
import { TypeormOrganizationRepository } from './persistence/typeorm-organization-repository';
import { TypeormUserChangesRepository } from './persistence/typeorm-user-changes-repository';
import { TypeormUsersRepository } from './persistence/typeorm-users-repository';
import { UserChangesService } from './users/user-changes-service';
import { UsersService } from './users/users-service';
import { TypeormWorkspacesRepository } from './persistence/typeorm-workspaces-repository';
import { WorkspacesService } from './workspaces/workspaces-service';
import { ReencryptionService } from './workspaces/reencryption-service';
import { TypeormReencryptionRepository } from './persistence/typeorm-reencryption-repository';

export interface VouchServices {
    readonly database: Database;
    /** Every domain event, after its commit; the transport and other domains listen here. */
    readonly bus: EventBus;
    readonly log: CertificateLog;
    readonly organizations: OrganizationService;
    readonly certificates: CertificatesService;
    readonly authentication: AuthenticationService;
    readonly users: UsersService;
    readonly userChanges: UserChangesService;
    readonly invitations: InvitationService;
    readonly greetings: GreetingService;
    /** Sides of greetings that left, attempts nobody touched: ended for the side still there. */
    readonly greetingLiveness: GreetingLiveness;
    readonly joinRequests: JoinRequestsService;
    readonly workspaces: WorkspacesService;
    /** Re-encryption of workspaces after revocations. */
    readonly reencryption: ReencryptionService;
    /** Identity providers' sign-ins, whose answers come back over HTTP. */
    readonly joinSignIns: { readonly oidc?: OidcSignIn; readonly saml?: SamlSignIn };
}

/** What the services need from around them; a CLI command leaves it all out. */
export interface ServicesOptions {
    readonly joinRequests?: JoinRequestsConfig;
    readonly clock?: () => number;
    /** Built first by whoever runs the server (with Redis when there are several instances). */
    readonly bus?: EventBus;
    readonly mailer?: InvitationMailer;
    /** Base of the links the server hands out. */
    readonly publicUrl?: () => string;
    /** Who is online (the transport's rooms). */
    readonly presence?: InvitationPresence;
    readonly logger?: ServerLogger;
    /** Tests shorten these: a side's grace period to come back, an attempt's lifetime, how often idle attempts are swept. */
    readonly greeting?: Partial<GreetingLivenessOptions & { lifetimeMs: number }>;
    /** How long a re-encryption run stays its runner's without a sign of life. */
    readonly reencryptionLeaseMs?: number;
}

/** Opens the database (running migrations) and wires the domain services onto it, in one place. */
export async function openServices(database: DatabaseConfig, options: ServicesOptions = {}): Promise<VouchServices> {
    const db = await Database.open(database);
    try {
        const clock = options.clock ?? Date.now;
        const logger = options.logger ?? silentLogger;
        const bus = options.bus ?? new LocalEventBus(logger);
        const log = new CertificateLog(new TypeormCertificateLogRepository(db), db, bus);
        const contexts = new CertificateContexts(new TypeormOrganizationRepository(db), nodeEd25519);
        const organizations = new OrganizationService(new TypeormOrganizationRepository(db), log, contexts);
        const authRepository = new TypeormAuthenticationRepository(db);
        const secret = await authRepository.loadOrCreateServerSecret(AUTH_SECRET_NAME, randomBytes(32));
        const authentication = new AuthenticationService(authRepository, nodeEd25519, secret);
        const standing = authentication.standing.bind(authentication);
        const invitationRepository = new TypeormInvitationRepository(db);
        const attempts = new GreetingAttempts(invitationRepository, bus, options.greeting?.lifetimeMs);
        const invitations = new InvitationService(invitationRepository, attempts, standing, bus, {
            mailer: options.mailer, publicUrl: options.publicUrl ?? (() => 'http://127.0.0.1'), presence: options.presence ?? NO_PRESENCE, logger
        });
        const joinConfig = options.joinRequests;
        const pki = joinConfig && joinConfig.trustAnchors.length > 0 ? PkiVerifier.create(joinConfig.trustAnchors, joinConfig.crls) : undefined;
        const joinRepository = new TypeormJoinRequestsRepository(db);
        const joinSignIns = {
            ...(joinConfig?.oidc ? { oidc: new OidcSignIn(joinConfig.oidc, joinRepository) } : {}),
            ...(joinConfig?.saml ? { saml: new SamlSignIn(joinConfig.saml, joinRepository, clock) } : {})
        };
        const workspacesRepository = new TypeormWorkspacesRepository(db);
        const reencryption = new ReencryptionService(new TypeormReencryptionRepository(db), workspacesRepository, log, contexts, bus, options.reencryptionLeaseMs);
        return {
            database: db,
            bus,
            log,
            organizations,
            certificates: new CertificatesService(log),
            authentication,
            users: new UsersService(new TypeormUsersRepository(db), contexts),
            userChanges: new UserChangesService(contexts, new TypeormUserChangesRepository(db), log, bus, [reencryption]),
            invitations,
            greetings: new GreetingService(invitationRepository, db, invitations, attempts, organizations, bus),
            greetingLiveness: new GreetingLiveness(attempts, clock, logger, {
                reconnectGraceMs: options.greeting?.reconnectGraceMs ?? GREETING_RECONNECT_GRACE_MS,
                sweepEveryMs: options.greeting?.sweepEveryMs ?? GREETING_SWEEP_EVERY_MS
            }),
            joinRequests: new JoinRequestsService(joinRepository, organizations, log, contexts, standing, bus, pki, joinSignIns),
            workspaces: new WorkspacesService(workspacesRepository, log, contexts, bus, reencryption),
            reencryption,
            joinSignIns
        };
    } catch (error) {
        await db.close();
        throw error;
    }
}
