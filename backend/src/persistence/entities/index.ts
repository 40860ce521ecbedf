import { CertificateEntity, CertificateTopicEntity } from './certificate.entity';
import { DeviceEntity } from './device.entity';
import { GreetingAttemptEntity, GreetingStepEntity, InvitationEntity } from './invitation.entity';
import { JoinAttemptEntity, JoinRequestEntity, JoinUsedAssertionEntity } from './join-request.entity';
import { OrganizationEntity } from './organization.entity';
import { ServerSecretEntity } from './server-secret.entity';
import { UsedChallengeEntity } from './used-challenge.entity';
import { UserEntity } from './user.entity';
import { WorkspaceReencryptionEntity } from './reencryption.entity';
import { WorkspaceBlockEntity, WorkspaceEntity, WorkspaceManifestEntity, WorkspaceMemberEntity } from './workspace.entity';

export { GreetingAttemptEntity, GreetingStepEntity, InvitationEntity };
export { WorkspaceReencryptionEntity };
export { WorkspaceBlockEntity, WorkspaceEntity, WorkspaceManifestEntity, WorkspaceMemberEntity };
export { CertificateEntity, CertificateTopicEntity, DeviceEntity, JoinAttemptEntity, JoinRequestEntity, JoinUsedAssertionEntity, OrganizationEntity, ServerSecretEntity, UsedChallengeEntity, UserEntity };
export const ENTITIES = [OrganizationEntity, CertificateEntity, CertificateTopicEntity, UserEntity, DeviceEntity, ServerSecretEntity, UsedChallengeEntity, JoinRequestEntity, JoinAttemptEntity, JoinUsedAssertionEntity, InvitationEntity, GreetingAttemptEntity, GreetingStepEntity,
    WorkspaceEntity, WorkspaceMemberEntity, WorkspaceManifestEntity, WorkspaceBlockEntity, WorkspaceReencryptionEntity];
