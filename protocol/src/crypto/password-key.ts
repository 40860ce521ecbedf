import { scryptAsync } from '@noble/hashes/scrypt';
import { fromBase64Url, toBase64Url, utf8Encode } from '../encoding';
import { randomBytes } from './random';

/**
 * Key derivation from a password, for keys at rest. scrypt is memory-hard and runs the same
 * in browser and Node; its parameters are stored with what they protect so they can be raised
 * later without breaking stored devices.
 */
export interface PasswordKeyParameters {
    readonly algorithm: 'scrypt';
    readonly salt: string; // base64url, 16 bytes
    readonly N: number;
    readonly r: number;
    readonly p: number;
}

export interface ScryptCost {
    readonly N: number;
    readonly r: number;
    readonly p: number;
}

/** 32 MiB and about a quarter of a second in a browser on this project's reference machine. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

export function newPasswordKeyParameters(cost: ScryptCost = DEFAULT_SCRYPT_COST): PasswordKeyParameters {
    return { algorithm: 'scrypt', salt: toBase64Url(randomBytes(16)), N: cost.N, r: cost.r, p: cost.p };
}

export async function derivePasswordKey(password: string, parameters: PasswordKeyParameters): Promise<Uint8Array> {
    const salt = fromBase64Url(parameters.salt);
    if (!salt || parameters.algorithm !== 'scrypt') {
        throw new TypeError('Unusable password key parameters');
    }
    return scryptAsync(utf8Encode(password.normalize('NFC')), salt, { N: parameters.N, r: parameters.r, p: parameters.p, dkLen: 32 });
}
