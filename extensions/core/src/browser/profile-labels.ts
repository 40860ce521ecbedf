import { nls } from '@theia/core';
import { UserProfile } from '@vouch/protocol';

/** The words for each profile, in every view and dialog. */
export const PROFILE_LABELS: Record<UserProfile, () => string> = {
    EXTERNAL: () => nls.localize('vouch/profile/external', 'External'),
    MEMBER: () => nls.localize('vouch/profile/member', 'Member'),
    ADMINISTRATOR: () => nls.localize('vouch/profile/administrator', 'Administrator')
};
