import { expect } from 'chai';
import { JoinRequestRecord } from '../join-requests/join-requests-types';
import { makeRequester } from '../testing/join-request-fixtures';
import { Database } from './database';
import { TypeormJoinRequestsRepository } from './typeorm-join-requests-repository';

const T0 = 1_800_000_000_000;

describe('TypeormJoinRequestsRepository: a decision happens once', () => {
    let database: Database;
    let repository: TypeormJoinRequestsRepository;

    beforeEach(async () => {
        database = await Database.open({ kind: 'sqlite', path: ':memory:' });
        repository = new TypeormJoinRequestsRepository(database);
    });
    afterEach(() => database.close());

    function record(email: string, requestId: string, replace = false): JoinRequestRecord {
        const { payload } = makeRequester('Acme', email, { replace });
        return {
            organizationId: 'Acme', requestId, method: 'oidc', state: 'pending', email, claimHash: payload.claimHash, payload,
            identity: { method: 'oidc', issuer: 'https://idp.example.org', subject: email, email }, createdOn: T0
        };
    }

    const acceptance = { userId: 'u'.repeat(32), deviceId: 'd'.repeat(32), profile: 'MEMBER' as const, user: 'x', device: 'y', authorDevice: 'e'.repeat(32) };

    it('decides once: after an acceptance, neither another acceptance, a rejection nor a cancel changes it', async () => {
        const id = 'a'.repeat(32);
        expect(await repository.insertPending(record('ann@example.com', id), false, T0)).to.equal('inserted');
        expect(await repository.accept('Acme', id, acceptance, 'f'.repeat(32), T0 + 1)).to.equal(true);
        expect(await repository.accept('Acme', id, acceptance, 'g'.repeat(32), T0 + 2)).to.equal(false);
        expect(await repository.decide('Acme', id, 'rejected', undefined, T0 + 2)).to.equal(false);
        expect(await repository.decide('Acme', id, 'cancelled', undefined, T0 + 2)).to.equal(false);
        expect(await repository.find('Acme', id)).to.deep.include({ state: 'accepted', decidedBy: 'f'.repeat(32), acceptance });
    });

    it('one open request per email: a second is refused unless it replaces the first, and a decided one frees the email', async () => {
        expect(await repository.insertPending(record('bob@example.com', 'b'.repeat(32)), false, T0)).to.equal('inserted');
        expect(await repository.insertPending(record('bob@example.com', 'c'.repeat(32)), false, T0)).to.equal('pending-exists');
        expect(await repository.insertPending(record('bob@example.com', 'c'.repeat(32), true), true, T0)).to.equal('inserted');
        expect((await repository.find('Acme', 'b'.repeat(32)))!.state).to.equal('replaced');
        expect((await repository.listOpen('Acme')).map(open => [open.requestId, open.state])).to.deep.equal([['c'.repeat(32), 'pending']]);
        expect(await repository.decide('Acme', 'c'.repeat(32), 'rejected', undefined, T0 + 1)).to.equal(true);
        expect(await repository.insertPending(record('bob@example.com', 'd'.repeat(32)), false, T0 + 2)).to.equal('inserted');
    });
});
