import * as http from 'http';
import { fail, JoinRequestPayload, Outcome } from '@vouch/protocol';
import { ServerLogger } from '../common/server-logger';
import { OIDC_CALLBACK_PATH, SAML_ACS_PATH } from '../join-requests/join-requests-config';
import { JoinRequestsService } from '../join-requests/join-requests-service';
import { JoinRequestError } from '../join-requests/join-requests-types';
import { VerifiedSignIn } from '../join-requests/oidc-sign-in';

export interface JoinHttpFlows {
    readonly oidc?: { complete(callbackUrl: URL, now: number): Promise<Outcome<VerifiedSignIn, JoinRequestError>> };
    readonly saml?: {
        complete(form: Record<string, string>, now: number): Promise<Outcome<VerifiedSignIn, JoinRequestError>>;
        metadata(): string;
    };
}

/** Largest SAML response form we read. */
const MAX_FORM_BYTES = 512 * 1024;

/**
 * The only HTTP routes of the organization server: where identity providers send the browser
 * back (OIDC redirect callback, SAML assertion consumer service). Whatever happens, the browser
 * lands on the workbench again with the outcome in the address, where the requester's client
 * reads its request's status. Returns false for any other path, which is not ours.
 */
export function joinHttpHandler(service: JoinRequestsService, flows: JoinHttpFlows, publicUrl: () => string, clock: () => number, logger: ServerLogger):
    (request: http.IncomingMessage, response: http.ServerResponse) => boolean {
    const back = (response: http.ServerResponse, outcome: Outcome<{ payload: JoinRequestPayload }, JoinRequestError>) => {
        const url = new URL(publicUrl());
        url.searchParams.set('vouch-action', 'join-return');
        if (outcome.ok) {
            url.searchParams.set('vouch-org', outcome.value.payload.organizationId);
            url.searchParams.set('vouch-join-result', 'submitted');
        } else {
            url.searchParams.set('vouch-join-result', outcome.error.code);
            url.searchParams.set('vouch-join-message', outcome.error.message.slice(0, 300));
        }
        response.writeHead(303, { Location: url.toString(), 'Cache-Control': 'no-store' }).end();
    };
    const finish = async (response: http.ServerResponse, signIn: Outcome<VerifiedSignIn, JoinRequestError>) => {
        if (!signIn.ok) {
            back(response, signIn);
            return;
        }
        const stored = await service.storeVerified(signIn.value.payload, signIn.value.identity, clock());
        back(response, stored.ok ? { ok: true, value: { payload: signIn.value.payload } } : stored);
    };
    const guarded = (response: http.ServerResponse, work: () => Promise<void>) => {
        work().catch(error => {
            logger.error('join request sign-in failed', error);
            if (!response.headersSent) {
                back(response, fail({ code: 'JOIN_PROOF_INVALID', message: 'The server could not complete the sign-in' }));
            }
        });
    };
    return (request, response) => {
        const url = new URL(request.url ?? '/', 'http://vouch.invalid');
        if (url.pathname === OIDC_CALLBACK_PATH && request.method === 'GET' && flows.oidc) {
            const oidc = flows.oidc;
            // openid-client checks the callback against the redirect URL it was registered with.
            const callback = new URL(url.pathname + url.search, publicUrl());
            guarded(response, async () => finish(response, await oidc.complete(callback, clock())));
            return true;
        }
        if (url.pathname === SAML_ACS_PATH && request.method === 'POST' && flows.saml) {
            const saml = flows.saml;
            guarded(response, async () => {
                const form = await readForm(request);
                await finish(response, form ? await saml.complete(form, clock()) : fail({ code: 'JOIN_PROOF_INVALID', message: 'The SAML response is missing or too large' }));
            });
            return true;
        }
        if (url.pathname === '/vouch/join/saml/metadata' && request.method === 'GET' && flows.saml) {
            response.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' }).end(flows.saml.metadata());
            return true;
        }
        return false;
    };
}

async function readForm(request: http.IncomingMessage): Promise<Record<string, string> | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_FORM_BYTES) {
            return undefined;
        }
        chunks.push(chunk as Buffer);
    }
    return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}
