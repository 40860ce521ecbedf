import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { ConfigError } from '../config';
import { loadJoinRequestsConfig } from './join-requests-config';
import { issueRsa, makeTestPki } from '../testing/test-pki';

describe('join request configuration from the environment', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-join-config-'));
    const pki = makeTestPki('Config');
    fs.writeFileSync(path.join(dir, 'anchors.pem'), pki.root.pem);
    fs.writeFileSync(path.join(dir, 'leaf.pem'), pki.leaf('a@example.com').pem);
    fs.writeFileSync(path.join(dir, 'idp.pem'), issueRsa({ commonName: 'IdP' }).pem);
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    function refusal(env: NodeJS.ProcessEnv): string {
        try {
            loadJoinRequestsConfig(env, 'https://vouch.example.org', dir);
            return 'accepted';
        } catch (error) {
            return error instanceof ConfigError ? error.variable : String(error);
        }
    }

    it('nothing configured: no method', () => {
        expect(loadJoinRequestsConfig({}, 'https://vouch.example.org', dir)).to.deep.equal({ trustAnchors: [], crls: [] });
    });

    it('the ProConnect preset needs only the client id and secret; the callback follows the public URL', () => {
        const config = loadJoinRequestsConfig({ VOUCH_OIDC_PRESET: 'proconnect', VOUCH_OIDC_CLIENT_ID: 'id', VOUCH_OIDC_CLIENT_SECRET: 'secret' }, 'https://vouch.example.org', dir);
        expect(config.oidc).to.deep.include({
            issuer: 'https://auth.agentconnect.gouv.fr/api/v2', clientId: 'id', clientSecret: 'secret', label: 'ProConnect', acrValues: 'eidas1',
            redirectUrl: 'https://vouch.example.org/vouch/join/oidc/callback', userinfoSignedResponseAlg: 'RS256'
        });
    });

    it('reads PEM trust anchors and SAML settings', () => {
        const config = loadJoinRequestsConfig({ VOUCH_PKI_TRUST_ANCHORS: 'anchors.pem', VOUCH_SAML_ENTRY_POINT: 'https://idp.example.org/sso', VOUCH_SAML_IDP_CERT: 'idp.pem' },
            'https://vouch.example.org', dir);
        expect(config.trustAnchors).to.have.length(1);
        expect(config.saml).to.deep.include({ acsUrl: 'https://vouch.example.org/vouch/join/saml/acs', spEntityId: 'https://vouch.example.org/vouch/join/saml', label: 'SAML' });
    });

    it('a bad value stops start, naming the variable', () => {
        expect(refusal({ VOUCH_PKI_TRUST_ANCHORS: 'missing.pem' })).to.equal('VOUCH_PKI_TRUST_ANCHORS');
        expect(refusal({ VOUCH_PKI_TRUST_ANCHORS: 'leaf.pem' })).to.equal('VOUCH_PKI_TRUST_ANCHORS');
        expect(refusal({ VOUCH_PKI_CRLS: 'anchors.pem' })).to.equal('VOUCH_PKI_CRLS');
        expect(refusal({ VOUCH_PKI_TRUST_ANCHORS: 'anchors.pem', VOUCH_PKI_CRLS: 'anchors.pem' })).to.equal('VOUCH_PKI_CRLS');
        expect(refusal({ VOUCH_OIDC_PRESET: 'nope' })).to.equal('VOUCH_OIDC_PRESET');
        expect(refusal({ VOUCH_OIDC_ISSUER: 'https://idp.example.org' })).to.equal('VOUCH_OIDC_CLIENT_ID');
        expect(refusal({ VOUCH_OIDC_ISSUER: 'ftp://idp', VOUCH_OIDC_CLIENT_ID: 'x' })).to.equal('VOUCH_OIDC_ISSUER');
        expect(refusal({ VOUCH_SAML_ENTRY_POINT: 'https://idp.example.org/sso' })).to.equal('VOUCH_SAML_IDP_CERT');
    });
});
