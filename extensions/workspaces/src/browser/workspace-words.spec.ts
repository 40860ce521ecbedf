import { expect } from 'chai';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { WorkspaceError } from '../common/workspace-engine-api';
import { describeWorkspaceError } from './workspace-words';

describe('describeWorkspaceError', () => {
    it("says a server's refusal in the workbench's words, with the server's as detail, and the engine's own errors as they are", () => {
        const refusal = { code: 'NOT_ALLOWED' as const, message: 'Only Owners grant the Manager role' };
        expect(describeWorkspaceError(new WorkspaceError('NoPermissions', refusal.message, refusal))).to.equal(describeApiError(refusal))
            .and.to.contain('Only Owners grant the Manager role').and.not.equal(refusal.message);
        expect(describeWorkspaceError(new WorkspaceError('Unavailable', 'Unlock the device to open a workspace'))).to.equal('Unlock the device to open a workspace');
    });
});
