import { blake2b } from '@noble/hashes/blake2b';

/** BLAKE2b-256, optionally keyed (the protocol's hash and MAC). */
export function hash256(data: Uint8Array, key?: Uint8Array): Uint8Array {
    return blake2b(data, { dkLen: 32, key });
}
