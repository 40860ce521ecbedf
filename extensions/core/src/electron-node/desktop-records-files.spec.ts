import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { randomBytes } from 'crypto';
import { ApplicationError } from '@theia/core/lib/common/application-error';
import { toBase64Url } from '@vouch/protocol';
import { DeviceKeys, openDevice, sealDevice } from '../common/device-file';
import { DesktopRecordsError } from '../common/desktop-records-protocol';
import { RecordsFolder } from './desktop-records-files';

describe('RecordsFolder (the desktop keystore files)', () => {
    let root: string;
    let folder: RecordsFolder;

    const facts = {
        serverUrl: 'https://vouch.example.org', organizationId: 'Acme', userId: 'a'.repeat(32), deviceId: 'b'.repeat(32),
        humanHandle: { label: 'Alice', email: 'alice@example.com' }, deviceLabel: 'Laptop', createdOn: '2026-01-01T00:00:00.000Z'
    };
    const keys: DeviceKeys = { deviceSigningKey: toBase64Url(randomBytes(32)), userPrivateKey: toBase64Url(randomBytes(32)), rootVerifyKey: toBase64Url(randomBytes(32)) };

    beforeEach(async () => {
        root = await fs.mkdtemp(path.join(os.tmpdir(), 'vouch-records-'));
        folder = new RecordsFolder(path.join(root, 'vouch'));
    });

    afterEach(async () => {
        await fs.rm(root, { recursive: true, force: true });
    });

    async function refusal(work: Promise<unknown>): Promise<number | string> {
        return work.then(() => 'accepted', error => ApplicationError.is(error) ? error.code : String(error));
    }

    it('keeps a sealed device in a file only the user may read, holding only ciphertext, and opens it again from a new instance', async () => {
        const device = await sealDevice(facts, keys, 'correct horse battery', { N: 16, r: 8, p: 1 });
        await folder.put('vouch', 'devices', 'current', device);

        const file = path.join(root, 'vouch', 'vouch.devices.json');
        const text = await fs.readFile(file, 'utf8');
        for (const secret of [keys.deviceSigningKey, keys.userPrivateKey, keys.rootVerifyKey, 'correct horse battery']) {
            expect(text).to.not.include(secret);
        }
        expect((await fs.stat(file)).mode & 0o777).to.equal(0o600);
        expect((await fs.stat(path.join(root, 'vouch'))).mode & 0o777).to.equal(0o700);

        const stored = await new RecordsFolder(path.join(root, 'vouch')).get('vouch', 'devices', 'current');
        expect(stored).to.deep.equal(device);
        const opened = await openDevice(stored as typeof device, 'correct horse battery');
        expect(opened).to.deep.equal({ ok: true, value: keys });
    });

    it('answers undefined for what was never kept, and removes the file when its last record goes', async () => {
        expect(await folder.get('vouch', 'devices', 'current')).to.equal(undefined);
        await folder.put('vouch-log', 'verified-heads', 'Acme/dev1', { index: 3, digest: 'd' });
        await folder.put('vouch-log', 'verified-heads', 'Acme/dev2', { index: 5, digest: 'e' });
        await folder.delete('vouch-log', 'verified-heads', 'Acme/dev1');
        expect(await folder.get('vouch-log', 'verified-heads', 'Acme/dev1')).to.equal(undefined);
        expect(await folder.get('vouch-log', 'verified-heads', 'Acme/dev2')).to.deep.equal({ index: 5, digest: 'e' });
        await folder.delete('vouch-log', 'verified-heads', 'Acme/dev2');
        expect(await fs.readdir(path.join(root, 'vouch'))).to.deep.equal([]);
    });

    it('loses no write when many land at once', async () => {
        await Promise.all(Array.from({ length: 20 }, (_, index) => folder.put('vouch-join', 'pending', `key${index}`, { index })));
        const values = await Promise.all(Array.from({ length: 20 }, (_, index) => folder.get('vouch-join', 'pending', `key${index}`)));
        expect(values).to.deep.equal(Array.from({ length: 20 }, (_, index) => ({ index })));
        expect((await fs.readdir(path.join(root, 'vouch'))).filter(name => name.endsWith('.tmp'))).to.deep.equal([]);
    });

    it('refuses names that would leave the folder, bad keys and oversized values, writing nothing', async () => {
        const invalid = DesktopRecordsError.Invalid.code;
        expect(await refusal(folder.put('../../etc', 'devices', 'current', {}))).to.equal(invalid);
        expect(await refusal(folder.put('vouch', 'devices/../../x', 'current', {}))).to.equal(invalid);
        expect(await refusal(folder.put('vouch', 'devices', '', {}))).to.equal(invalid);
        expect(await refusal(folder.put('vouch', 'devices', 'current', 'x'.repeat(2 * 1024 * 1024)))).to.equal(invalid);
        expect(await refusal(folder.put('vouch', 'devices', 'current', undefined))).to.equal(invalid);
        expect(await fs.readdir(root)).to.deep.equal([]);
    });

    it('leaves a file it cannot read untouched and says so, rather than writing over it', async () => {
        await fs.mkdir(path.join(root, 'vouch'));
        const file = path.join(root, 'vouch', 'vouch.devices.json');
        await fs.writeFile(file, '{"format":"vouch-records/v9","records":{}}');
        const unreadable = DesktopRecordsError.Unreadable.code;
        expect(await refusal(folder.get('vouch', 'devices', 'current'))).to.equal(unreadable);
        expect(await refusal(folder.put('vouch', 'devices', 'current', { a: 1 }))).to.equal(unreadable);
        expect(await fs.readFile(file, 'utf8')).to.equal('{"format":"vouch-records/v9","records":{}}');
        await fs.writeFile(file, 'not json');
        expect(await refusal(folder.get('vouch', 'devices', 'current'))).to.equal(unreadable);
    });
});
