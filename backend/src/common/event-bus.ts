import {
    CertificateKind, GreetingCancelReason, GreetingSide, GreetingStepEvent, HumanHandle, InvitationKind, JoinRequestStatus, OrganizationId, UserId, UserProfile,
    WorkspaceId, WorkspaceRole
} from '@vouch/protocol';
import { ServerLogger, silentLogger } from './server-logger';

/** One user's new profile. */
export interface ProfileChange {
    readonly userId: UserId;
    readonly profile: UserProfile;
}

/** What an invitation event must say for the fan-out to pick its audience. */
export interface InvitationRef {
    readonly invitationId: string;
    readonly kind: InvitationKind;
    /** Device invitations: whose device. */
    readonly userId?: UserId;
}

/** What a greeting event must say to reach both sides. */
export interface AttemptRef {
    readonly attemptId: string;
    readonly invitationId: string;
    readonly hostDeviceId: string;
}

/**
 * Every domain event of the server, published after the commit that made it true. These are
 * facts, not wire messages: the transport decides who hears what (protocol's audience table),
 * the workspaces domain will act on `users.revoked`. With several instances the bus carries each
 * event to all of them, so a listener never needs to know which instance committed.
 */
export interface VouchEvents {
    'certificates.added': {
        readonly organizationId: OrganizationId;
        readonly topic: string;
        /** The topic's new head: index, chain digest and timestamp of its newest certificate. */
        readonly index: number;
        readonly digest: string;
        readonly timestamp: number;
        readonly kinds: readonly CertificateKind[];
    };
    'users.profilesChanged': { readonly organizationId: OrganizationId; readonly changes: readonly ProfileChange[] };
    'users.revoked': {
        readonly organizationId: OrganizationId;
        readonly userIds: readonly UserId[];
        readonly revokedBy: UserId;
        /** ms since epoch: the revoked_user certificates' timestamp. */
        readonly revokedOn: number;
    };
    'invitations.changed': { readonly organizationId: OrganizationId; readonly invitation: InvitationRef };
    'invitation.guestWaiting': { readonly organizationId: OrganizationId; readonly invitation: InvitationRef & { readonly email: string } };
    'invitation.ended': { readonly organizationId: OrganizationId; readonly invitationId: string; readonly status: 'CANCELLED' | 'COMPLETED' };
    'greeting.started': { readonly organizationId: OrganizationId; readonly attempt: AttemptRef; readonly host: HumanHandle };
    'greeting.step': { readonly organizationId: OrganizationId; readonly attempt: AttemptRef; readonly step: GreetingStepEvent };
    'greeting.cancelled': {
        readonly organizationId: OrganizationId;
        readonly attempt: AttemptRef;
        readonly reason: GreetingCancelReason;
        readonly by: GreetingSide | 'server';
    };
    'joinRequests.changed': { readonly organizationId: OrganizationId; readonly requestId: string };
    /** Manifests of a workspace were written under this change number. */
    'workspace.changed': { readonly organizationId: OrganizationId; readonly workspaceId: WorkspaceId; readonly change: number };
    /** Roles of a workspace were granted, changed or removed (null). */
    'workspace.membersChanged': {
        readonly organizationId: OrganizationId;
        readonly workspaceId: WorkspaceId;
        readonly changes: readonly { readonly userId: UserId; readonly role: WorkspaceRole | null }[];
    };
    /** Revocations exposed these workspaces' current keys: each one's Owners (or successors) are told. */
    'workspaces.reencryptionNeeded': {
        readonly organizationId: OrganizationId;
        readonly revokedUserIds: readonly UserId[];
        readonly workspaces: readonly { readonly workspaceId: WorkspaceId; readonly owners: readonly UserId[] }[];
    };
    /** A re-encryption rotated the key (maintenance on: writes wait) or finished (off); `members` after it. */
    'workspace.maintenance': {
        readonly organizationId: OrganizationId;
        readonly workspaceId: WorkspaceId;
        readonly maintenance: boolean;
        readonly keyIndex: number;
        readonly members: readonly UserId[];
    };
    'joinRequests.decided': { readonly organizationId: OrganizationId; readonly claimHash: string; readonly status: JoinRequestStatus };
}

export type VouchEventType = keyof VouchEvents;
export type VouchEventListener<K extends VouchEventType> = (event: VouchEvents[K]) => void;

export interface EventSubscription {
    dispose(): void;
}

/**
 * One typed bus, built first and passed to every service. Listeners run on every instance that
 * subscribed, in the order events were published by one instance.
 */
export interface EventBus {
    publish<K extends VouchEventType>(type: K, event: VouchEvents[K]): void;
    on<K extends VouchEventType>(type: K, listener: VouchEventListener<K>): EventSubscription;
    close(): Promise<void>;
}

/** Delivers to the listeners of this process, at once; a listener that throws is logged, the others still run. */
export class LocalEventBus implements EventBus {
    protected readonly listeners = new Map<VouchEventType, Set<(event: unknown) => void>>();

    constructor(protected readonly logger: ServerLogger = silentLogger) { }

    publish<K extends VouchEventType>(type: K, event: VouchEvents[K]): void {
        this.deliver(type, event);
    }

    /** Runs this process's listeners of `type`. */
    deliver(type: VouchEventType, event: unknown): void {
        for (const listener of [...this.listeners.get(type) ?? []]) {
            try {
                listener(event);
            } catch (error) {
                this.logger.error(`A listener of "${type}" failed`, error);
            }
        }
    }

    on<K extends VouchEventType>(type: K, listener: VouchEventListener<K>): EventSubscription {
        const set = this.listeners.get(type) ?? new Set();
        this.listeners.set(type, set);
        const untyped = listener as (event: unknown) => void;
        set.add(untyped);
        return { dispose: () => set.delete(untyped) };
    }

    async close(): Promise<void> {
        this.listeners.clear();
    }
}
