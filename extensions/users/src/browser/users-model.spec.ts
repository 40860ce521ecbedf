import 'reflect-metadata';
import { expect } from 'chai';
import { Emitter, PreferenceChange } from '@theia/core';
import { ProgressService } from '@theia/core/lib/common/progress-service';
import { Container } from '@theia/core/shared/inversify';
import {
    CertificateTrustStore, fromBase64Url, generateKeyExchangePair, newUserId, portableEd25519, Reply, signCertificate, toBase64Url, UserSummary, UsersPage
} from '@vouch/protocol';
import { createBootstrapCertificates } from '@vouch/core';
import { VouchSession, VouchSessionState } from '@vouch/core/lib/browser/vouch-session';
import { UsersPreferences } from '../common/users-preferences';
import { FILTER_DEBOUNCE_MS, USERS_PROGRESS_LOCATION, UsersModel } from './users-model';

const settle = (ms = 0) => new Promise(resolve => setTimeout(resolve, ms));

const org = createBootstrapCertificates({ organizationId: 'Acme', humanHandle: { label: 'Alice', email: 'alice@example.com' }, deviceLabel: 'Laptop', now: Date.now() });

/** A user added by Alice's device, as the server would list it. */
function member(label: string): UserSummary {
    const userId = newUserId();
    const humanHandle = { label, email: `${label.toLowerCase()}@example.com` };
    const certificate = signCertificate({
        kind: 'user', version: 1, author: org.deviceId, timestamp: Date.now(), previous: null, userId, humanHandle,
        publicKey: toBase64Url(generateKeyExchangePair().publicKey), profile: 'MEMBER'
    }, fromBase64Url(org.keys.deviceSigningKey)!, portableEd25519);
    return { userId, humanHandle, profile: 'MEMBER', createdOn: new Date().toISOString(), createdBy: org.userId, certificate };
}

const alice: UserSummary = {
    userId: org.userId, humanHandle: { label: 'Alice', email: 'alice@example.com' }, profile: 'ADMINISTRATOR', createdOn: new Date().toISOString(), certificate: org.certificates.user
};
const bob = member('Bob');
const carol = member('Carol');

class FakeSession {
    state: VouchSessionState = 'connected';
    readonly stateEmitter = new Emitter<VouchSessionState>();
    readonly onDidChangeState = this.stateEmitter.event;
    readonly certificatesEmitter = new Emitter<{ index: number; kinds: [] }>();
    readonly onDidAddCertificates = this.certificatesEmitter.event;
    readonly queries: { query: string; offset: number }[] = [];
    readonly limits: number[] = [];
    users: UserSummary[] = [alice, bob, carol];
    /** How long the server takes to answer, in ms. */
    latency = 0;

    readonly request = async (_event: 'users.list', payload: { query: string; offset: number; limit: number; includeRevoked?: boolean }): Promise<Reply<UsersPage>> => {
        this.queries.push({ query: payload.query, offset: payload.offset });
        this.limits.push(payload.limit);
        await settle(this.latency);
        const matching = this.users.filter(user => (!payload.query || user.humanHandle?.label.toLowerCase().includes(payload.query.toLowerCase())) &&
            (payload.includeRevoked !== false || !user.revokedOn));
        const users = matching.slice(payload.offset, payload.offset + payload.limit);
        const next = payload.offset + payload.limit;
        return { ok: true, value: { users, nextOffset: next < matching.length ? next : undefined, authorDevices: [org.certificates.device] } };
    };

    createTrustStore(): CertificateTrustStore {
        return new CertificateTrustStore(fromBase64Url(org.rootVerifyKey)!, portableEd25519);
    }
}

/** The preferences proxy as the model reads it: the page size and the columns, and their changes. */
class FakePreferences {
    readonly changes = new Emitter<PreferenceChange>();
    readonly onPreferenceChanged = this.changes.event;
    'vouch.users.pageSize' = 2;
    'vouch.users.columns.email' = true;
    'vouch.users.columns.profile' = true;
    'vouch.users.columns.status' = false;
    'vouch.users.columns.joined' = true;
}

/** Theia's progress service as a view sees it: which location showed progress, and for how long. */
class FakeProgress {
    readonly shown: string[] = [];
    running = 0;
    async withProgress<T>(_text: string, location: string, task: () => Promise<T>): Promise<T> {
        this.shown.push(location);
        this.running++;
        try {
            return await task();
        } finally {
            this.running--;
        }
    }
}

function createModel(session: FakeSession, preferences = new FakePreferences(), progress = new FakeProgress()): UsersModel {
    const container = new Container();
    container.bind(VouchSession).toConstantValue(session as unknown as VouchSession);
    container.bind(UsersPreferences).toConstantValue(preferences as unknown as UsersPreferences);
    container.bind(ProgressService).toConstantValue(progress as unknown as ProgressService);
    container.bind(UsersModel).toSelf();
    return container.get(UsersModel);
}

describe('UsersModel', () => {
    it('loads page by page, each row re-checked', async () => {
        const session = new FakeSession();
        const model = createModel(session);
        await settle();
        expect(model.rows.map(row => row.humanHandle?.label)).to.deep.equal(['Alice', 'Bob']);
        expect(model.hasMore).to.equal(true);
        await model.loadMore();
        expect(model.rows.map(row => row.humanHandle?.label)).to.deep.equal(['Alice', 'Bob', 'Carol']);
        expect(model.hasMore).to.equal(false);
        expect(model.error).to.equal(undefined);
    });

    it('drops a row whose certificate was not signed through the organization, and says so', async () => {
        const session = new FakeSession();
        const stranger = createBootstrapCertificates({ organizationId: 'Acme', humanHandle: { label: 'Mallory', email: 'm@example.com' }, deviceLabel: 'X', now: Date.now() });
        session.users = [alice, { ...bob, certificate: stranger.certificates.user }];
        const model = createModel(session);
        await settle();
        expect(model.rows.map(row => row.userId)).to.deep.equal([alice.userId]);
        expect(model.error).to.equal('One user hidden: their certificate does not check out.');
    });

    it('filters once the typing pauses', async () => {
        const session = new FakeSession();
        const model = createModel(session);
        await settle();
        session.queries.length = 0;
        model.setFilter('c');
        model.setFilter('ca');
        expect(session.queries).to.deep.equal([]);
        await settle(FILTER_DEBOUNCE_MS + 50);
        expect(session.queries).to.deep.equal([{ query: 'ca', offset: 0 }]);
        expect(model.rows.map(row => row.humanHandle?.label)).to.deep.equal(['Carol']);
        model.dispose();
    });

    it('reloads when certificates are added, keeping the selection of rows still listed', async () => {
        const session = new FakeSession();
        const preferences = new FakePreferences();
        preferences['vouch.users.pageSize'] = 10;
        const model = createModel(session, preferences);
        await settle();
        model.select(alice.userId, 'single');
        model.select(carol.userId, 'range');
        expect(model.selection).to.deep.equal([alice.userId, bob.userId, carol.userId]);
        session.users = [alice, carol];
        session.certificatesEmitter.fire({ index: 4, kinds: [] });
        await settle();
        expect(model.rows.map(row => row.userId)).to.deep.equal([alice.userId, carol.userId]);
        expect(model.selection).to.deep.equal([alice.userId, carol.userId]);
    });

    it('empties when the session locks and loads when it connects', async () => {
        const session = new FakeSession();
        session.state = 'locked';
        const model = createModel(session);
        await settle();
        expect(model.rows).to.deep.equal([]);
        session.state = 'connected';
        session.stateEmitter.fire('connected');
        await settle();
        expect(model.rows).to.have.length(2);
        session.state = 'locked';
        session.stateEmitter.fire('locked');
        expect(model.rows).to.deep.equal([]);
    });

    it('lists revoked users with who revoked them, and hides them when asked', async () => {
        const session = new FakeSession();
        const preferences = new FakePreferences();
        preferences['vouch.users.pageSize'] = 10;
        const revokedOn = Date.now();
        const revocationCertificate = signCertificate({ kind: 'revoked_user', version: 1, author: org.deviceId, timestamp: revokedOn, previous: null, userId: bob.userId },
            fromBase64Url(org.keys.deviceSigningKey)!, portableEd25519);
        session.users = [alice, { ...bob, revokedOn: new Date(revokedOn).toISOString(), revokedBy: alice.userId, revocationCertificate }, carol];
        const model = createModel(session, preferences);
        await settle();
        expect(model.rows.find(row => row.userId === bob.userId)?.revokedBy).to.equal(alice.userId);
        expect(model.nameOf(alice.userId)).to.equal('Alice');
        model.select(bob.userId, 'single');
        model.select(carol.userId, 'toggle');
        expect(model.selectedRows.map(row => row.userId)).to.deep.equal([bob.userId, carol.userId]);
        model.setShowRevoked(false);
        await settle();
        expect(model.rows.map(row => row.userId)).to.deep.equal([alice.userId, carol.userId]);
        expect(model.selectedRows.map(row => row.userId)).to.deep.equal([carol.userId]);
    });

    it('asks for pages of the size the preferences say, loads again when it changes, and shows the columns they keep', async () => {
        const session = new FakeSession();
        const preferences = new FakePreferences();
        preferences['vouch.users.pageSize'] = 3;
        const model = createModel(session, preferences);
        await settle();
        expect(session.limits).to.deep.equal([3]);
        expect(model.hasMore).to.equal(false);
        expect(model.columns).to.deep.equal(['email', 'profile', 'joined']);
        preferences['vouch.users.pageSize'] = 1;
        preferences.changes.fire({ preferenceName: 'vouch.users.pageSize', scope: 1, domain: [], affects: () => true });
        await settle();
        expect(session.limits).to.deep.equal([3, 1]);
        expect(model.rows).to.have.length(1);
    });

    it('shows Theia\'s progress in the Users view while the first page loads', async () => {
        const session = new FakeSession();
        session.latency = 20;
        const progress = new FakeProgress();
        const model = createModel(session, new FakePreferences(), progress);
        await settle(5);
        expect(progress.shown).to.deep.equal([USERS_PROGRESS_LOCATION]);
        expect(progress.running).to.equal(1);
        expect(model.loading).to.equal(true);
        await settle(40);
        expect(progress.running).to.equal(0);
        expect(model.loading).to.equal(false);
        expect(model.rows).to.have.length(2);
    });

    it('makes one more request for any number of changes announced during a load', async () => {
        const session = new FakeSession();
        session.latency = 20;
        const model = createModel(session);
        for (let i = 0; i < 5; i++) {
            session.certificatesEmitter.fire({ index: i, kinds: [] });
        }
        await settle(100);
        expect(session.queries).to.have.length(2);
        expect(model.rows).to.have.length(2);
    });

    it('keeps the rows while reconnecting, said to be out of date, and drops them when locked', async () => {
        const session = new FakeSession();
        const model = createModel(session);
        await settle();
        session.state = 'reconnecting';
        session.stateEmitter.fire('reconnecting');
        expect(model.rows).to.have.length(2);
        expect(model.stale).to.equal(true);
        session.state = 'refused';
        session.stateEmitter.fire('refused');
        expect(model.rows).to.deep.equal([]);
        expect(model.stale).to.equal(false);
    });

    it('moves the focused row with the keys and selects as the gesture says', async () => {
        const session = new FakeSession();
        const preferences = new FakePreferences();
        preferences['vouch.users.pageSize'] = 10;
        const model = createModel(session, preferences);
        await settle();
        model.moveFocus('next', 'single');
        expect(model.selection).to.deep.equal([alice.userId]);
        model.moveFocus('last', 'range');
        expect(model.selection).to.deep.equal([alice.userId, bob.userId, carol.userId]);
        expect(model.focusedRow).to.equal(carol.userId);
        model.moveFocus('previous', 'focus');
        expect(model.focusedRow).to.equal(bob.userId);
        expect(model.selection).to.have.length(3);
        model.moveFocus('first', 'single');
        expect(model.selection).to.deep.equal([alice.userId]);
    });
});
