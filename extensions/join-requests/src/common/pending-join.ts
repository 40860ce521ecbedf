import { z } from 'zod';
import {
    DEFAULT_SCRYPT_COST, derivePasswordKey, fail, fromBase64Url, generateKeyExchangePair, generateSigningKeyPair, joinClaimHash, JoinMethod, JoinRequestPayload,
    JoinRequestPayloadSchema, newPasswordKeyParameters, ok, openSecretBox, Outcome, PasswordKeyParameters, portableEd25519, randomBytes, ScryptCost,
    sealSecretBox, toBase64Url, utf8Decode, utf8Encode
} from '@vouch/protocol';

/** What the requester types. */
export interface JoinForm {
    readonly name: string;
    readonly email: string;
    readonly deviceLabel: string;
    readonly password: string;
    readonly replace: boolean;
}

/** The keys made for the request, kept sealed by the password until the device is finalized. */
export interface JoinSecrets {
    readonly userPrivateKey: string;
    readonly deviceSigningKey: string;
    readonly claimSecret: string;
}

/** A request this browser made and has not finalized yet: kept across reloads, so the requester may close the workbench and come back. */
export const PendingJoinSchema = z.object({
    version: z.literal(1),
    serverUrl: z.string().url(),
    rootVerifyKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    method: z.enum(['pki', 'oidc', 'saml']),
    payload: JoinRequestPayloadSchema,
    keyParameters: z.object({ algorithm: z.literal('scrypt'), salt: z.string(), N: z.number(), r: z.number(), p: z.number() }).strict(),
    sealed: z.string().min(1),
    /** The claim secret in clear too: it only lets one follow or cancel the request, and the page must do so before the password is typed again. */
    claimSecret: z.string().regex(/^[A-Za-z0-9_-]{43}$/)
}).strict();
export type PendingJoin = z.infer<typeof PendingJoinSchema>;

export interface MadeJoinRequest {
    readonly pending: PendingJoin;
    readonly secrets: JoinSecrets;
}

function associated(payload: JoinRequestPayload): Uint8Array {
    return utf8Encode(`vouch/join-pending/v1\n${payload.organizationId}\n${payload.claimHash}`);
}

/** Makes the keys and the payload, and seals the private keys with the password. */
export async function makeJoinRequest(input: {
    serverUrl: string; rootVerifyKey: string; organizationId: string; method: JoinMethod; form: JoinForm; now: number; cost?: ScryptCost
}): Promise<MadeJoinRequest> {
    const userKeys = generateKeyExchangePair();
    const deviceKey = generateSigningKeyPair(portableEd25519);
    const claim = randomBytes(32);
    const payload: JoinRequestPayload = {
        version: 1, organizationId: input.organizationId, email: input.form.email.trim().toLowerCase(), name: input.form.name.trim(),
        deviceLabel: input.form.deviceLabel.trim(), userPublicKey: toBase64Url(userKeys.publicKey), deviceVerifyKey: toBase64Url(deviceKey.verifyKey),
        claimHash: joinClaimHash(claim), replace: input.form.replace, timestamp: input.now
    };
    const secrets: JoinSecrets = { userPrivateKey: toBase64Url(userKeys.privateKey), deviceSigningKey: toBase64Url(deviceKey.secretKey), claimSecret: toBase64Url(claim) };
    const keyParameters: PasswordKeyParameters = newPasswordKeyParameters(input.cost ?? DEFAULT_SCRYPT_COST);
    const key = await derivePasswordKey(input.form.password, keyParameters);
    const sealed = sealSecretBox(key, utf8Encode(JSON.stringify(secrets)), associated(payload));
    return {
        pending: {
            version: 1, serverUrl: input.serverUrl, rootVerifyKey: input.rootVerifyKey, method: input.method, payload,
            keyParameters: keyParameters as PendingJoin['keyParameters'], sealed: toBase64Url(sealed), claimSecret: secrets.claimSecret
        },
        secrets
    };
}

export async function openPendingJoin(pending: PendingJoin, password: string): Promise<Outcome<JoinSecrets, 'WRONG_PASSWORD'>> {
    const key = await derivePasswordKey(password, pending.keyParameters as PasswordKeyParameters);
    const box = fromBase64Url(pending.sealed);
    const opened = box && openSecretBox(key, box, associated(pending.payload));
    return opened ? ok(JSON.parse(utf8Decode(opened)) as JoinSecrets) : fail('WRONG_PASSWORD');
}
