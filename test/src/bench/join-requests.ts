/**
 * Join requests: PKI request verification per second (the server's check with node's
 * X509Certificate: chain to the anchor, dates, usage, email, payload signature), and the
 * OIDC and SAML sign-in round trips on loopback (begin → provider → callback → stored request),
 * against a real oidc-provider and a samlify IdP. Bounded in count and time.
 */
import { JoinRequestPayload, PkiProof } from '@vouch/protocol';
import { loadServerConfig, VouchServer } from '@vouch/server';
import { PkiVerifier } from '@vouch/server/lib/join-requests/pki-verifier';
import { bootstrapOrganization, makeRequester, request, SocketPool, value } from '@vouch/server/lib/testing/join-request-fixtures';
import { followRedirects, freePort, startTestOidcProvider } from '@vouch/server/lib/testing/test-oidc-provider';
import { makeTestSamlIdp, postToAcs } from '@vouch/server/lib/testing/test-saml-idp';
import { issueEcdsaLeaf, makeTestPki, pkiProof } from '@vouch/server/lib/testing/test-pki';
import { count, latency, ResultRow, write } from './report';
import { nowMs, ratePerSecond, summarize } from './stats';

const PKI_TARGET_PER_SECOND = 3_000;
const PKI_BOUNDS = { maxChecks: 30_000, maxMs: 8_000, warmup: 500 };
const ROUND_TRIP_BOUNDS = { maxTrips: 100, maxMs: 15_000, warmup: 5 };

async function pkiRate(verifier: PkiVerifier, samples: { payload: JoinRequestPayload; proof: PkiProof }[]): Promise<{ perSecond: number; checks: number; elapsedMs: number; stoppedBy: string }> {
    for (let i = 0; i < PKI_BOUNDS.warmup; i++) {
        const sample = samples[i % samples.length];
        await verifier.verify(sample.payload, sample.proof, Date.now());
    }
    const start = nowMs();
    let checks = 0;
    while (checks < PKI_BOUNDS.maxChecks && nowMs() - start < PKI_BOUNDS.maxMs) {
        const sample = samples[checks % samples.length];
        const outcome = await verifier.verify(sample.payload, sample.proof, Date.now());
        if (!outcome.ok) {
            throw new Error(`a genuine request was refused: ${outcome.error.message}`);
        }
        checks++;
    }
    const elapsedMs = nowMs() - start;
    return { perSecond: ratePerSecond(checks, elapsedMs), checks, elapsedMs, stoppedBy: checks >= PKI_BOUNDS.maxChecks ? `${count(PKI_BOUNDS.maxChecks)} checks` : `${PKI_BOUNDS.maxMs / 1000} s` };
}

async function pkiRows(): Promise<ResultRow[]> {
    const pki = makeTestPki('Bench');
    const verifier = PkiVerifier.create([pki.root.pem]);
    const rows: ResultRow[] = [];
    const kinds: [string, (email: string) => Promise<ReturnType<TestPkiLeaf>>][] = [
        ['RSA 2048 leaf, RSA intermediate', async email => pki.leaf(email)],
        ['ECDSA P-256 leaf, RSA intermediate', email => issueEcdsaLeaf({ commonName: email, email }, pki.intermediate)]
    ];
    for (const [name, leafFor] of kinds) {
        const samples = [];
        for (let i = 0; i < 20; i++) {
            const requester = makeRequester('Bench', `bench${i}@example.com`);
            samples.push({ payload: requester.payload, proof: pkiProof(requester.payload, await leafFor(requester.payload.email), [pki.intermediate]) });
        }
        const result = await pkiRate(verifier, samples);
        rows.push({
            scenario: `PKI join request verification (${name})`, database: '—',
            result: `${count(result.perSecond)}/s (${count(result.checks)} in ${(result.elapsedMs / 1000).toFixed(1)} s, one thread)`,
            target: `≥ ${count(PKI_TARGET_PER_SECOND)}/s`, limit: 'node:crypto X509Certificate, 3 signatures per request',
            verdict: result.perSecond >= PKI_TARGET_PER_SECOND ? 'MET' : 'MISSED', bound: result.stoppedBy
        });
        write(`${rows[rows.length - 1].scenario}: ${rows[rows.length - 1].result}`);
    }
    return rows;
}
type TestPkiLeaf = ReturnType<typeof makeTestPki>['leaf'];

async function roundTrips(name: string, trip: () => Promise<void>): Promise<ResultRow> {
    for (let i = 0; i < ROUND_TRIP_BOUNDS.warmup; i++) {
        await trip();
    }
    const samples: number[] = [];
    const start = nowMs();
    while (samples.length < ROUND_TRIP_BOUNDS.maxTrips && nowMs() - start < ROUND_TRIP_BOUNDS.maxMs) {
        const began = nowMs();
        await trip();
        samples.push(nowMs() - began);
    }
    const summary = summarize(samples);
    const row: ResultRow = {
        scenario: `${name} join sign-in round trip (loopback)`, database: 'SQLite',
        result: `${latency(summary)} (${summary.count} sign-ins)`, target: 'reported', limit: 'IdP in the same process',
        verdict: 'MET', bound: samples.length >= ROUND_TRIP_BOUNDS.maxTrips ? `${ROUND_TRIP_BOUNDS.maxTrips} sign-ins` : `${ROUND_TRIP_BOUNDS.maxMs / 1000} s`
    };
    write(`${row.scenario}: ${row.result}`);
    return row;
}

async function signInRows(): Promise<ResultRow[]> {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const oidc = await startTestOidcProvider(`${publicUrl}/vouch/join/oidc/callback`);
    const acsUrl = `${publicUrl}/vouch/join/saml/acs`;
    const saml = makeTestSamlIdp('Bench', { entityId: `${publicUrl}/vouch/join/saml`, acsUrl });
    const server = await VouchServer.start({
        config: loadServerConfig({}, {
            port, host: '127.0.0.1', publicUrl, database: { kind: 'sqlite', path: ':memory:' },
            joinRequests: {
                trustAnchors: [], crls: [],
                oidc: { issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret, redirectUrl: `${publicUrl}/vouch/join/oidc/callback`, scopes: 'openid email profile', label: 'Bench' },
                saml: { entryPoint: saml.ssoUrl, idpCertificates: [saml.certificate.pem], idpIssuer: saml.entityId, spEntityId: `${publicUrl}/vouch/join/saml`, acsUrl, label: 'Bench' }
            }
        })
    });
    const pool = new SocketPool(() => publicUrl);
    try {
        const { organizationId } = await bootstrapOrganization(server, pool);
        const anonymous = await pool.anonymous();
        let n = 0;
        const begin = async (method: 'oidc' | 'saml') => {
            const requester = makeRequester(organizationId, `trip${n++}@example.com`);
            oidc.nextAccount = { sub: requester.payload.email, email: requester.payload.email, email_verified: true };
            return { requester, url: value(await request<{ redirectUrl: string }>(anonymous, 'joinRequests.begin', { payload: requester.payload, method })).redirectUrl };
        };
        const expectSubmitted = (back: URL) => {
            if (back.searchParams.get('vouch-join-result') !== 'submitted') {
                throw new Error(`sign-in refused: ${back.searchParams.get('vouch-join-message')}`);
            }
        };
        return [
            await roundTrips('OIDC', async () => expectSubmitted(await followRedirects((await begin('oidc')).url, `${publicUrl}/?`))),
            await roundTrips('SAML', async () => {
                const { requester, url } = await begin('saml');
                expectSubmitted(await postToAcs(acsUrl, await saml.respond(url, requester.payload.email)));
            })
        ];
    } finally {
        pool.closeAll();
        await server.close();
        await oidc.close();
    }
}

export async function runJoinRequestsBench(): Promise<ResultRow[]> {
    write('\n== Join requests');
    return [...await pkiRows(), ...await signInRows()];
}
