import 'reflect-metadata';
import { expect } from 'chai';
import { Emitter } from '@theia/core';
import { ContextKeyService } from '@theia/core/lib/browser/context-key-service';
import { Container } from '@theia/core/shared/inversify';
import { SessionInfo, UserProfile } from '@vouch/protocol';
import { VouchContextKeyService } from './vouch-context-key-service';
import { VouchSession, VouchSessionState } from './vouch-session';

/** Keeps the keys as Theia's service would: a value per name. */
class RecordingContextKeys {
    readonly values = new Map<string, unknown>();
    createKey<T>(key: string, defaultValue: T | undefined): { set(value: T | undefined): void; get(): T | undefined; reset(): void } {
        this.values.set(key, defaultValue);
        return {
            set: value => this.values.set(key, value),
            get: () => this.values.get(key) as T | undefined,
            reset: () => this.values.set(key, defaultValue)
        };
    }
}

class FakeSession {
    state: VouchSessionState = 'locked';
    sessionInfo?: SessionInfo;
    readonly emitter = new Emitter<VouchSessionState>();
    readonly onDidChangeState = this.emitter.event;

    become(state: VouchSessionState, profile?: UserProfile): void {
        this.state = state;
        if (profile) {
            this.sessionInfo = { organizationId: 'Acme', userId: 'u', deviceId: 'd', profile } as unknown as SessionInfo;
        }
        this.emitter.fire(state);
    }
}

function create(): { keys: RecordingContextKeys; session: FakeSession; service: VouchContextKeyService } {
    const keys = new RecordingContextKeys();
    const session = new FakeSession();
    const container = new Container();
    container.bind(ContextKeyService).toConstantValue(keys as unknown as ContextKeyService);
    container.bind(VouchSession).toConstantValue(session as unknown as VouchSession);
    container.bind(VouchContextKeyService).toSelf();
    return { keys, session, service: container.get(VouchContextKeyService) };
}

describe('VouchContextKeyService', () => {
    it('sets the session state, the profile, the connection and the capabilities from the session', () => {
        const { keys, session, service } = create();
        expect(keys.values.get('vouchSessionState')).to.equal('locked');
        expect(keys.values.get('vouchMay.users.revoke')).to.equal(false);

        session.become('connected', 'ADMINISTRATOR');
        expect(keys.values.get('vouchSessionState')).to.equal('connected');
        expect(keys.values.get('vouchProfile')).to.equal('ADMINISTRATOR');
        expect(keys.values.get('vouchConnected')).to.equal(true);
        expect(keys.values.get('vouchMay.users.revoke')).to.equal(true);
        expect(service.may('users.revoke')).to.equal(true);

        // The server demotes this user: the admin entries go at once.
        session.become('connected', 'MEMBER');
        expect(keys.values.get('vouchMay.users.revoke')).to.equal(false);
        expect(keys.values.get('vouchMay.certificates.list')).to.equal(true);
    });

    it('keeps the profile while reconnecting (disabled, not hidden), and forgets it once locked', () => {
        const { keys, session, service } = create();
        session.become('connected', 'ADMINISTRATOR');
        session.become('reconnecting');
        expect(keys.values.get('vouchConnected')).to.equal(false);
        expect(keys.values.get('vouchMay.users.revoke')).to.equal(true);
        session.become('locked');
        expect(keys.values.get('vouchProfile')).to.equal(undefined);
        expect(keys.values.get('vouchMay.users.revoke')).to.equal(false);
        expect(service.may('users.list')).to.equal(false);
    });
});
