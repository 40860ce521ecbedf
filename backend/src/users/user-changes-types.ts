import { CertificateError, UserId } from '@vouch/protocol';

export type UserChangeError =
    | { readonly code: 'NOT_ALLOWED' | 'ORGANIZATION_NOT_FOUND'; readonly message: string }
    | CertificateError;

export interface RevokedUsers {
    readonly revoked: readonly UserId[];
    readonly alreadyRevoked: readonly UserId[];
}

