import 'reflect-metadata';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { io } from 'socket.io-client';
import { ILogger } from '@theia/core';
import { EnvVariablesServer } from '@theia/core/lib/common/env-variables';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { Container } from '@theia/core/shared/inversify';
import { ANONYMOUS_NAMESPACE, parseBootstrapLink, VOUCH_SOCKET_PATH } from '@vouch/protocol';
import { DesktopTrialServer } from './desktop-trial-server';

describe('DesktopTrialServer (the desktop app\'s one-person trial)', function () {
    this.timeout(30_000);

    let configDir: string;
    const started: DesktopTrialServer[] = [];

    beforeEach(async () => {
        configDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vouch-trial-'));
    });

    afterEach(async () => {
        for (const trial of started.splice(0)) {
            await trial.onStop();
        }
        await fs.rm(configDir, { recursive: true, force: true });
    });

    function trialServer(): DesktopTrialServer {
        const container = new Container();
        container.bind(EnvVariablesServer).toConstantValue({ getConfigDirUri: async () => FileUri.create(configDir).toString() } as unknown as EnvVariablesServer);
        container.bind(ILogger).toConstantValue({ info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as ILogger)
            .whenTargetNamed('vouch-server');
        container.bind(DesktopTrialServer).toSelf();
        const trial = container.get(DesktopTrialServer);
        started.push(trial);
        return trial;
    }

    async function status(serverUrl: string, organizationId: string): Promise<unknown> {
        const socket = io(`${serverUrl}${ANONYMOUS_NAMESPACE}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], forceNew: true, reconnection: false });
        try {
            return await socket.timeout(5000).emitWithAck('organization.status', { organizationId });
        } finally {
            socket.close();
        }
    }

    it('starts nothing until asked, then runs on loopback with its data in the config folder and a link that creates its organization', async () => {
        const trial = trialServer();
        await trial.onStart();
        expect(await fs.readdir(configDir)).to.deep.equal([]);

        const local = await trial.start();
        expect(local.serverUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
        const link = parseBootstrapLink(local.bootstrapLink!);
        expect(link?.serverUrl).to.equal(local.serverUrl);
        expect(await status(local.serverUrl, link!.organizationId)).to.deep.equal({ ok: true, value: { organizationId: link!.organizationId, bootstrapped: false } });
        expect((await fs.readdir(path.join(configDir, 'vouch', 'trial'))).sort()).to.include.members(['trial-server.json', 'vouch.sqlite']);
        // Asked again, the same server answers.
        expect((await trial.start()).serverUrl).to.equal(local.serverUrl);
    });

    it('comes back with the app on the same port, with the same organization', async () => {
        const first = trialServer();
        const local = await first.start();
        const organizationId = parseBootstrapLink(local.bootstrapLink!)!.organizationId;
        await first.onStop();

        const again = trialServer();
        await again.onStart();
        expect((await again.start()).serverUrl).to.equal(local.serverUrl);
        expect(await status(local.serverUrl, organizationId)).to.deep.equal({ ok: true, value: { organizationId, bootstrapped: false } });
    });
});
