import * as path from 'path';
import { expect } from 'chai';
import { loadServerConfig } from './config';

describe('loadServerConfig', () => {
    it('defaults to SQLite in <cwd>/.vouch on port 3000', () => {
        const config = loadServerConfig({});
        expect(config.dataDir).to.equal(path.join(process.cwd(), '.vouch'));
        expect(config.database).to.deep.equal({ kind: 'sqlite', path: path.join(process.cwd(), '.vouch', 'vouch.sqlite') });
        expect(config.port).to.equal(3000);
        expect(config.publicUrl).to.equal('http://127.0.0.1:3000');
        expect(config.initialOrganization).to.equal('MyOrganization');
        expect(config.redisUrl).to.equal(undefined);
    });

    it('reads every variable', () => {
        const config = loadServerConfig({
            VOUCH_DATA_DIR: '/srv/vouch', VOUCH_DB_URL: 'mysql://u:p@db:3306/vouch', PORT: '8080', VOUCH_PUBLIC_URL: 'https://vouch.example.com/',
            VOUCH_REDIS_URL: 'redis://cache:6379', VOUCH_ORGANIZATION: 'Acme'
        });
        expect(config.database).to.deep.equal({ kind: 'mysql', url: 'mysql://u:p@db:3306/vouch' });
        expect(config).to.include({ dataDir: '/srv/vouch', port: 8080, publicUrl: 'https://vouch.example.com', redisUrl: 'redis://cache:6379', initialOrganization: 'Acme' });
    });

    it('resolves SQLite paths against the data dir and knows in-memory databases', () => {
        expect(loadServerConfig({ VOUCH_DATA_DIR: '/d', VOUCH_DB_URL: 'sqlite:x/y.db' }).database).to.deep.equal({ kind: 'sqlite', path: '/d/x/y.db' });
        expect(loadServerConfig({ VOUCH_DB_URL: 'sqlite:/abs.db' }).database).to.deep.equal({ kind: 'sqlite', path: '/abs.db' });
        expect(loadServerConfig({ VOUCH_DB_URL: 'sqlite::memory:' }).database).to.deep.equal({ kind: 'sqlite', path: ':memory:' });
    });

    it('names the variable of an invalid value', () => {
        expect(() => loadServerConfig({ PORT: 'eighty' })).to.throw(/^PORT:/);
        expect(() => loadServerConfig({ VOUCH_DB_URL: 'postgres://x/y' })).to.throw(/^VOUCH_DB_URL:/);
        expect(() => loadServerConfig({ VOUCH_DB_URL: 'mysql://host' })).to.throw(/^VOUCH_DB_URL:/);
        expect(() => loadServerConfig({ VOUCH_PUBLIC_URL: 'ftp://x' })).to.throw(/^VOUCH_PUBLIC_URL:/);
        expect(() => loadServerConfig({ VOUCH_REDIS_URL: 'cache:6379' })).to.throw(/^VOUCH_REDIS_URL:/);
        expect(() => loadServerConfig({ VOUCH_ORGANIZATION: 'no spaces' })).to.throw(/^VOUCH_ORGANIZATION:/);
    });

    it('lets overrides win over the environment', () => {
        expect(loadServerConfig({ PORT: '1' }, { port: 0 }).port).to.equal(0);
    });
});
