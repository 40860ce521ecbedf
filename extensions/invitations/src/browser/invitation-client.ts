import { Disposable, DisposableCollection, Emitter, Event } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import {
    AnonymousResponses, AnonymousSchemas, DeviceResponses, DeviceSchemas, GreetingSide, GreetingSocket, GreetingStartedEvent, GuestWaitingEvent,
    InvitationChangedEvent, InvitationEndedEvent, Reply, RequestOf, SocketGreetingChannel
} from '@vouch/protocol';

/**
 * The workbench's side of invitations: requests on either namespace, the events the server
 * pushes, and greeting channels over the same connection.
 */
@injectable()
export class InvitationClient implements Disposable {
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(VouchSession) readonly session: VouchSession;

    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeInvitationsEmitter = new Emitter<InvitationChangedEvent>();
    readonly onDidChangeInvitations: Event<InvitationChangedEvent> = this.onDidChangeInvitationsEmitter.event;
    protected readonly onGuestWaitingEmitter = new Emitter<GuestWaitingEvent>();
    readonly onGuestWaiting: Event<GuestWaitingEvent> = this.onGuestWaitingEmitter.event;
    protected readonly onGreetingStartedEmitter = new Emitter<GreetingStartedEvent>();
    readonly onGreetingStarted: Event<GreetingStartedEvent> = this.onGreetingStartedEmitter.event;
    protected readonly onInvitationEndedEmitter = new Emitter<InvitationEndedEvent>();
    readonly onInvitationEnded: Event<InvitationEndedEvent> = this.onInvitationEndedEmitter.event;

    get onDidConnectAnonymous(): Event<void> {
        return this.connection.onDidConnectAnonymous;
    }

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeInvitationsEmitter, this.onGuestWaitingEmitter, this.onGreetingStartedEmitter, this.onInvitationEndedEmitter,
            this.connection.onPushed('device', 'invitations.changed', event => this.onDidChangeInvitationsEmitter.fire(event)),
            this.connection.onPushed('device', 'invitation.guestWaiting', event => this.onGuestWaitingEmitter.fire(event)),
            this.connection.onPushed('anonymous', 'greeting.started', event => this.onGreetingStartedEmitter.fire(event)),
            this.connection.onPushed('anonymous', 'invitation.ended', event => this.onInvitationEndedEmitter.fire(event))
        ]);
    }

    request<K extends keyof DeviceResponses & keyof DeviceSchemas>(event: K, payload: RequestOf<DeviceSchemas, K>): Promise<Reply<DeviceResponses[K]>> {
        return this.connection.request(event, payload);
    }

    requestAnonymous<K extends keyof AnonymousResponses & keyof AnonymousSchemas>(event: K, payload: RequestOf<AnonymousSchemas, K>): Promise<Reply<AnonymousResponses[K]>> {
        return this.connection.requestAnonymous(event, payload);
    }

    /** A greeting channel for one attempt: the host on the device namespace, the guest on the anonymous one with its token. */
    channel(side: GreetingSide, attemptId: string, guest?: { organizationId: string; token: string }): SocketGreetingChannel {
        const namespace = side === 'host' ? 'device' : 'anonymous';
        const listeners = new Map<string, Set<(payload: never) => void>>();
        const subscription = new DisposableCollection(...(['greeting.step', 'greeting.cancelled'] as const).map(event =>
            this.connection.onPushed(namespace, event, payload => listeners.get(event)?.forEach(listener => listener(payload as never)))));
        const socket: GreetingSocket = {
            request: (event, payload) => (side === 'host'
                ? this.connection.request(event as keyof DeviceSchemas & keyof DeviceResponses, payload as never)
                : this.connection.requestAnonymous(event as keyof AnonymousSchemas & keyof AnonymousResponses, payload as never)) as ReturnType<GreetingSocket['request']>,
            on: (event, listener) => {
                const set = listeners.get(event) ?? new Set();
                set.add(listener);
                listeners.set(event, set);
            },
            off: (event, listener) => listeners.get(event)?.delete(listener)
        };
        const channel = new SocketGreetingChannel(socket, attemptId, side, guest ?? {});
        const dispose = channel.dispose.bind(channel);
        channel.dispose = () => {
            dispose();
            subscription.dispose();
        };
        return channel;
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
