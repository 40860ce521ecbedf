import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { CoveringUserListIndex1763900100000 } from './1763900100000-covering-user-list-index';
import { Invitations1764100000000 } from './1764100000000-invitations';
import { JoinRequests1764200000000 } from './1764200000000-join-requests';
import { UserRevokedBy1764300000000 } from './1764300000000-user-revoked-by';
import { CertificateTopics1764400000000 } from './1764400000000-certificate-topics';
import { Workspaces1764500000000 } from './1764500000000-workspaces';
import { GreetingConnections1764520000000 } from './1764520000000-greeting-connections';
import { InvitationProposedName1764530000000 } from './1764530000000-invitation-proposed-name';
import { WorkspaceReencryption1764600000000 } from './1764600000000-workspace-reencryption';

/** In order; checked in, run at start and by `vouch-server migrate`. */
export const MIGRATIONS = [InitialSchema1763900000000, CoveringUserListIndex1763900100000, Invitations1764100000000, JoinRequests1764200000000, UserRevokedBy1764300000000, CertificateTopics1764400000000,
    Workspaces1764500000000, GreetingConnections1764520000000, InvitationProposedName1764530000000,
    WorkspaceReencryption1764600000000];
