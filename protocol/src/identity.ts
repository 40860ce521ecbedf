import { z } from 'zod';
import { randomBytes } from './crypto/random';

/** An organization's name as typed by its creator: letters, digits, `-` and `_`. */
export const OrganizationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'An organization name has 1 to 32 letters, digits, "-" or "_"');
export type OrganizationId = z.infer<typeof OrganizationIdSchema>;

const RANDOM_ID = /^[0-9a-f]{32}$/;
export const UserIdSchema = z.string().regex(RANDOM_ID, 'Not a user id');
export const DeviceIdSchema = z.string().regex(RANDOM_ID, 'Not a device id');
export type UserId = z.infer<typeof UserIdSchema>;
export type DeviceId = z.infer<typeof DeviceIdSchema>;

function randomHexId(): string {
    return Array.from(randomBytes(16), byte => byte.toString(16).padStart(2, '0')).join('');
}

export const newUserId = (): UserId => randomHexId();
export const newDeviceId = (): DeviceId => randomHexId();

export const USER_PROFILES = ['EXTERNAL', 'MEMBER', 'ADMINISTRATOR'] as const;
export const UserProfileSchema = z.enum(USER_PROFILES);
export type UserProfile = z.infer<typeof UserProfileSchema>;

/** A person's name and email as they appear in certificates (absent from redacted copies). */
export const HumanHandleSchema = z.object({
    email: z.string().trim().toLowerCase().max(254).email('Not an email address'),
    label: z.string().trim().min(1, 'A name is required').max(128)
}).strict();
export type HumanHandle = z.infer<typeof HumanHandleSchema>;

export const DeviceLabelSchema = z.string().trim().min(1, 'A device label is required').max(128);
