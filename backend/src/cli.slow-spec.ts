import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';

const BIN = path.resolve(__dirname, '..', 'bin', 'vouch-server.js');

describe('vouch-server CLI', function () {
    this.timeout(90_000); // each case spawns the CLI: a fresh Node process with TypeORM, slow on a loaded machine
    let dataDir: string;
    beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-cli-')); });
    afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], {
        encoding: 'utf8', env: { ...process.env, VOUCH_DATA_DIR: dataDir, VOUCH_PUBLIC_URL: 'https://vouch.example.com' }
    });

    it('migrates, creates an organization once and prints its bootstrap link', () => {
        expect(run('migrate')).to.include({ status: 0 });
        expect(run('migrate').stdout).to.match(/up to date/);
        const created = run('organization', 'create', 'Acme');
        expect(created.status, created.stderr).to.equal(0);
        expect(created.stdout).to.match(/^https:\/\/vouch\.example\.com\/\?vouch-action=bootstrap&vouch-org=Acme&vouch-token=[A-Za-z0-9_-]{22,}\n$/);
        const again = run('organization', 'create', 'Acme');
        expect(again.status).to.equal(1);
        expect(again.stderr).to.match(/already exists/);
        const invalid = run('organization', 'create', 'not valid');
        expect(invalid.status).to.equal(1);
        expect(invalid.stderr).to.match(/not a valid organization name/);
    });

    it('answers --help with 0, usage mistakes with 2 and bad configuration with 1', () => {
        expect(run('--help')).to.include({ status: 0 });
        expect(run('--help').stdout).to.match(/organization create <name>/);
        expect(run().status).to.equal(2);
        expect(run('frobnicate').status).to.equal(2);
        expect(run('organization', 'create').status).to.equal(2);
        expect(run('--bogus').status).to.equal(2);
        const badPort = spawnSync(process.execPath, [BIN, 'serve'], { encoding: 'utf8', env: { ...process.env, VOUCH_DATA_DIR: dataDir, PORT: 'eighty' } });
        expect(badPort.status).to.equal(1);
        expect(badPort.stderr).to.match(/PORT/);
    });
});
