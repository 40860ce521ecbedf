/**
 * A device's client in a process of its own, running one re-encryption: what the fault suite
 * kills (SIGKILL) half way. Reads its device from argv as JSON; prints one line per step of
 * progress and one with the result.
 */
import { fromBase64Url } from '@vouch/protocol';
import { TestBootstrap, TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { SocketPool, TestOrganization } from '@vouch/server/lib/testing/socket-harness';
import { reencryptWorkspace } from '@vouch/workspaces';
import { identityOf, SocketWorkspaceConnection } from './reencryption-client';

export interface RunnerArguments {
    readonly url: string;
    readonly organizationId: string;
    readonly rootVerifyKey: string;
    readonly workspaceId: string;
    readonly batchSize: number;
    readonly device: { userId: string; deviceId: string; email: string; label: string; signingKey: [string, string]; userKey: [string, string] };
}

class RunnerOrganization extends TestOrganization {
    constructor(url: string, pool: SocketPool, organizationId: string) {
        super(url, pool, organizationId, undefined as unknown as TestBootstrap);
    }
}

async function main(): Promise<void> {
    const args = JSON.parse(process.argv[2]) as RunnerArguments;
    const device: TestDevice = {
        userId: args.device.userId, deviceId: args.device.deviceId, email: args.device.email, label: args.device.label,
        signingKey: { secretKey: fromBase64Url(args.device.signingKey[0])!, verifyKey: fromBase64Url(args.device.signingKey[1])! },
        userKey: { privateKey: fromBase64Url(args.device.userKey[0])!, publicKey: fromBase64Url(args.device.userKey[1])! }
    };
    const pool = new SocketPool();
    const socket = await new RunnerOrganization(args.url, pool, args.organizationId).connect(device);
    const result = await reencryptWorkspace(new SocketWorkspaceConnection(socket), identityOf(device, args.rootVerifyKey), args.workspaceId, {
        batchSize: args.batchSize,
        onProgress: step => process.stdout.write(`progress ${step.phase} ${step.done} ${step.total}\n`)
    });
    process.stdout.write(`result ${JSON.stringify(result)}\n`);
    pool.closeAll();
}

main().then(() => process.exit(0), error => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
