import { expect } from 'chai';
import { RevocationImpact } from '@vouch/protocol';
import { describeRevocationImpact } from './revocation-impact-provider';

describe('the Revoke dialog\'s workspace sentences', () => {
    const names: Record<string, string> = { a: 'Alpha', b: 'Beta' };
    const nameOf = (workspaceId: string) => names[workspaceId];

    it('counts every workspace, names only those the Administrator reads, and says where the users are the last Owners', () => {
        const impact: RevocationImpact = { workspaces: [{ workspaceId: 'b', lastOwner: true }, { workspaceId: 'a', lastOwner: false }, { workspaceId: 'x', lastOwner: true }] };
        expect(describeRevocationImpact(impact, nameOf)).to.deep.equal([
            '3 workspaces are shared with them: their Owners will be asked to re-encrypt them.',
            'Those you are a member of: Alpha, Beta.',
            'They are the last Owner of Beta. They are the last Owner of 1 workspace you cannot read. There, the members of the highest role left become Owners when they re-encrypt.'
        ]);
    });

    it('says when nothing is shared, and names nothing it cannot read', () => {
        expect(describeRevocationImpact({ workspaces: [] }, nameOf)).to.deep.equal(['No workspace is shared with them: nothing to re-encrypt.']);
        expect(describeRevocationImpact({ workspaces: [{ workspaceId: 'x', lastOwner: false }] }, nameOf)).to.deep.equal([
            '1 workspace is shared with them: its Owners will be asked to re-encrypt it.'
        ]);
    });
});
