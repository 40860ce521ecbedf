import { expect } from 'chai';
import { UserProfile } from '@vouch/protocol';
import { UserRow } from './user-rows';
import { planProfileChange, planRevocation, proposedNewProfile } from './user-changes-plan';

const row = (userId: string, profile: UserProfile, revoked = false): UserRow =>
    ({ userId, profile, createdOn: '2026-11-23T12:00:00.000Z', ...(revoked ? { revokedOn: '2026-11-23T13:00:00.000Z' } : {}) });

describe('user change plans', () => {
    const me = row('me', 'ADMINISTRATOR');
    const admin = row('admin', 'ADMINISTRATOR');
    const member = row('member', 'MEMBER');
    const external = row('external', 'EXTERNAL');
    const gone = row('gone', 'MEMBER', true);
    const all = [me, admin, member, external, gone];

    it('changes the others and says why each one left out is left out', () => {
        const plan = planProfileChange(all, 'me', 'ADMINISTRATOR');
        expect(plan.affected.map(r => r.userId)).to.deep.equal(['member']);
        expect(plan.skipped.map(s => `${s.row.userId}:${s.reason}`)).to.deep.equal(['me:self', 'admin:same-profile', 'external:external', 'gone:revoked']);
    });

    it('refuses every change to External', () => {
        const plan = planProfileChange(all, 'me', 'EXTERNAL');
        expect(plan.affected).to.deep.equal([]);
        expect(plan.skipped.find(s => s.row.userId === 'member')?.reason).to.equal('to-external');
    });

    it('revokes everyone selected but oneself and those revoked already', () => {
        const plan = planRevocation(all, 'me');
        expect(plan.affected.map(r => r.userId)).to.deep.equal(['admin', 'member', 'external']);
        expect(plan.skipped.map(s => `${s.row.userId}:${s.reason}`)).to.deep.equal(['me:self', 'gone:revoked']);
    });

    it('proposes the other profile than the one the selected users have', () => {
        expect(proposedNewProfile([admin], 'me')).to.equal('MEMBER');
        expect(proposedNewProfile([member], 'me')).to.equal('ADMINISTRATOR');
        // Only those who can change count: oneself, External and revoked users do not.
        expect(proposedNewProfile([me, member, external, gone, row('g2', 'MEMBER', true)], 'me')).to.equal('ADMINISTRATOR');
        expect(proposedNewProfile([member, row('m2', 'MEMBER'), admin], 'me')).to.equal('ADMINISTRATOR');
        expect(proposedNewProfile([member, admin], 'me')).to.equal('MEMBER');
        expect(proposedNewProfile([external], 'me')).to.equal('MEMBER');
    });
});
