import { z } from 'zod';
import { SignedCertificateSchema } from '../certificates/certificate-types';

/** Socket.IO path of the organization server; never Theia's own, which claims every namespace. */
export const VOUCH_SOCKET_PATH = '/vouch/socket.io';
export const ANONYMOUS_NAMESPACE = '/anonymous';
export const DEVICE_NAMESPACE = '/device';
/** Largest Socket.IO message the server reads; a larger one closes that connection. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export const EmptySchema = z.object({}).strict();

export const NewUserCertificatesSchema = z.object({
    user: SignedCertificateSchema,
    redactedUser: SignedCertificateSchema,
    device: SignedCertificateSchema,
    redactedDevice: SignedCertificateSchema
}).strict();
