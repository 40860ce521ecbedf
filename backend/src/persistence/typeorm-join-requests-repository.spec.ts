import { expect } from 'chai';
import { JoinRequestRecord } from '../join-requests/join-requests-types';
import { makeRequester } from '../testing/join-request-fixtures';
import { STALE_CLAIM_MS } from '../join-requests/join-requests-service';
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

    it('a claim blocks every other decision; one left by a dead server is taken over after the stale bound, not before', async () => {
        const id = 'a'.repeat(32);
        expect(await repository.insertPending(record('ann@example.com', id), false, T0)).to.equal('inserted');
        const claim = (at: number) => repository.claim('Acme', id, at, at - STALE_CLAIM_MS);
        expect(await claim(T0)).to.equal(true);
        expect(await claim(T0 + 1)).to.equal(false);
        expect(await repository.decide('Acme', id, 'rejected', undefined, T0 + 2)).to.equal(false);
        expect(await repository.decide('Acme', id, 'cancelled', undefined, T0 + 2)).to.equal(false);
        // A minute later the first claim still stands; past the stale bound it is taken over.
        expect(await claim(T0 + 60_000)).to.equal(false);
        expect(await claim(T0 + STALE_CLAIM_MS + 1)).to.equal(true);
        // The first claimant's late release does not undo the new claim.
        await repository.release('Acme', id, T0);
        expect((await repository.find('Acme', id))!.state).to.equal('accepting');
        await repository.complete('Acme', id, { userId: 'u'.repeat(32), deviceId: 'd'.repeat(32), profile: 'MEMBER', user: 'x', device: 'y', authorDevice: 'e'.repeat(32) }, 'f'.repeat(32), T0 + 62_000);
        expect((await repository.find('Acme', id))!.state).to.equal('accepted');
        expect(await claim(T0 + 3 * STALE_CLAIM_MS)).to.equal(false);
        expect(await repository.decide('Acme', id, 'rejected', undefined, T0 + 3 * STALE_CLAIM_MS)).to.equal(false);
    });

    it('one open request per email: a second is refused unless it replaces the first, and a request being accepted is never replaced', async () => {
        expect(await repository.insertPending(record('bob@example.com', 'b'.repeat(32)), false, T0)).to.equal('inserted');
        expect(await repository.insertPending(record('bob@example.com', 'c'.repeat(32)), false, T0)).to.equal('pending-exists');
        expect(await repository.insertPending(record('bob@example.com', 'c'.repeat(32), true), true, T0)).to.equal('inserted');
        expect((await repository.find('Acme', 'b'.repeat(32)))!.state).to.equal('replaced');
        expect(await repository.claim('Acme', 'c'.repeat(32), T0, T0 - 60_000)).to.equal(true);
        expect(await repository.insertPending(record('bob@example.com', 'd'.repeat(32), true), true, T0)).to.equal('pending-exists');
        expect((await repository.listOpen('Acme')).map(open => [open.requestId, open.state])).to.deep.equal([['c'.repeat(32), 'accepting']]);
    });
});
