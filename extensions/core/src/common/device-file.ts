import { z } from 'zod';
import {
    DEFAULT_SCRYPT_COST, DeviceIdSchema, derivePasswordKey, fail, fromBase64Url, HumanHandle, HumanHandleSchema, newPasswordKeyParameters,
    ok, openSecretBox, OrganizationIdSchema, Outcome, PasswordKeyParameters, ScryptCost, sealSecretBox, toBase64Url, UserIdSchema, utf8Decode, utf8Encode
} from '@vouch/protocol';

/**
 * A device as it rests on the client: public facts in clear, private keys sealed with a key
 * derived from the user's password. The same format serves the browser (IndexedDB) and the
 * desktop app (a file), so a device can move between them.
 */
export const STORED_DEVICE_VERSION = 1;

const PasswordKeyParametersSchema = z.object({
    algorithm: z.literal('scrypt'),
    salt: z.string().min(1),
    N: z.number().int().positive(),
    r: z.number().int().positive(),
    p: z.number().int().positive()
}).strict();

export const StoredDeviceSchema = z.object({
    version: z.literal(STORED_DEVICE_VERSION),
    serverUrl: z.string().url(),
    organizationId: OrganizationIdSchema,
    userId: UserIdSchema,
    deviceId: DeviceIdSchema,
    humanHandle: HumanHandleSchema,
    deviceLabel: z.string().min(1).max(128),
    /** ISO time the device was made. */
    createdOn: z.string().min(1),
    keyParameters: PasswordKeyParametersSchema,
    /** base64url secret box of the JSON of `DeviceKeys`. */
    sealed: z.string().min(1)
}).strict();
export type StoredDevice = z.infer<typeof StoredDeviceSchema>;

/** What the password protects. All base64url. */
export interface DeviceKeys {
    readonly deviceSigningKey: string;
    readonly userPrivateKey: string;
    readonly rootVerifyKey: string;
}

const DeviceKeysSchema = z.object({
    deviceSigningKey: z.string().refine(key => fromBase64Url(key)?.length === 32),
    userPrivateKey: z.string().refine(key => fromBase64Url(key)?.length === 32),
    rootVerifyKey: z.string().refine(key => fromBase64Url(key)?.length === 32)
}).strict();

export interface DeviceFacts {
    readonly serverUrl: string;
    readonly organizationId: string;
    readonly userId: string;
    readonly deviceId: string;
    readonly humanHandle: HumanHandle;
    readonly deviceLabel: string;
    readonly createdOn: string;
}

/**
 * Why a stored device did not open. A wrong password and an altered box look the same to
 * authenticated encryption, so both are WRONG_PASSWORD; MALFORMED is a file we cannot read.
 */
export type OpenDeviceError = 'WRONG_PASSWORD' | 'MALFORMED';

/** Binds the sealed keys to the device they belong to: a box moved to another device's file does not open. */
function sealContext(facts: Pick<DeviceFacts, 'organizationId' | 'userId' | 'deviceId'>): Uint8Array {
    return utf8Encode(`vouch/device-keys/v1\n${facts.organizationId}\n${facts.userId}\n${facts.deviceId}`);
}

export async function sealDevice(facts: DeviceFacts, keys: DeviceKeys, password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<StoredDevice> {
    const keyParameters: PasswordKeyParameters = newPasswordKeyParameters(cost);
    const key = await derivePasswordKey(password, keyParameters);
    const plaintext = utf8Encode(JSON.stringify({ deviceSigningKey: keys.deviceSigningKey, userPrivateKey: keys.userPrivateKey, rootVerifyKey: keys.rootVerifyKey }));
    const sealed = toBase64Url(sealSecretBox(key, plaintext, sealContext(facts)));
    return StoredDeviceSchema.parse({
        version: STORED_DEVICE_VERSION, ...facts, keyParameters: { ...keyParameters }, sealed
    });
}

/** Checks a value read from storage; anything else than a stored device is MALFORMED. */
export function parseStoredDevice(value: unknown): Outcome<StoredDevice, OpenDeviceError> {
    const parsed = StoredDeviceSchema.safeParse(value);
    return parsed.success ? ok(parsed.data) : fail('MALFORMED');
}

export async function openDevice(stored: StoredDevice, password: string): Promise<Outcome<DeviceKeys, OpenDeviceError>> {
    const checked = parseStoredDevice(stored);
    if (!checked.ok) {
        return checked;
    }
    const box = fromBase64Url(checked.value.sealed);
    if (!box) {
        return fail('MALFORMED');
    }
    const key = await derivePasswordKey(password, checked.value.keyParameters);
    const plaintext = openSecretBox(key, box, sealContext(checked.value));
    if (!plaintext) {
        return fail('WRONG_PASSWORD');
    }
    try {
        const keys = DeviceKeysSchema.safeParse(JSON.parse(utf8Decode(plaintext)));
        return keys.success ? ok(keys.data) : fail('MALFORMED');
    } catch {
        return fail('MALFORMED');
    }
}
