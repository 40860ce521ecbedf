import 'reflect-metadata';
import { expect } from 'chai';
import { bindContributionProvider, ILogger, MessageService } from '@theia/core';
import { HttpOpenHandler } from '@theia/core/lib/browser/http-open-handler';
import URI from '@theia/core/lib/common/uri';
import { Container } from '@theia/core/shared/inversify';
import { buildBootstrapLink, buildInvitationLink, buildJoinLink, LinkAction, toVouchSchemeLink, VouchLink } from '@vouch/protocol';
import { PageAddress } from './page-address';
import { PageLinkFeeder } from './page-link-feeder';
import { VouchLinkContribution, VouchLinkHandler } from './vouch-link-handler';

/** Records the links it is given, as core, invitations and join requests would open them. */
class RecordingContribution implements VouchLinkContribution {
    readonly opened: VouchLink[] = [];
    failure?: Error;
    constructor(readonly actions: readonly LinkAction[]) { }
    async openLink(link: VouchLink): Promise<void> {
        this.opened.push(link);
        if (this.failure) {
            throw this.failure;
        }
    }
}

class RecordingMessages {
    readonly shown: string[] = [];
    async error(message: string): Promise<undefined> { this.shown.push(message); return undefined; }
    async warn(message: string): Promise<undefined> { this.shown.push(message); return undefined; }
}

/** A page whose address bar the test reads back. */
class FakePage {
    constructor(public href: string) { }
    get origin(): string { return new URL(this.href).origin; }
    replace(address: string): void { this.href = address; }
    leaveFor(): void { throw new Error('not expected'); }
}

const SERVER = 'http://127.0.0.1:3000';
const ROOT = 'A'.repeat(42) + 'E';

/** Core, invitations and join requests as the link handler sees them, on a page the test controls. */
function create(page = new FakePage(SERVER)) {
    const bootstrap = new RecordingContribution(['bootstrap']);
    const invitations = new RecordingContribution(['claim']);
    const joinRequests = new RecordingContribution(['join', 'join-return']);
    const messages = new RecordingMessages();
    const container = new Container();
    bindContributionProvider(container, VouchLinkContribution);
    for (const contribution of [bootstrap, invitations, joinRequests]) {
        container.bind(VouchLinkContribution).toConstantValue(contribution);
    }
    container.bind(MessageService).toConstantValue(messages as unknown as MessageService);
    container.bind(ILogger).toConstantValue({ error: () => undefined } as unknown as ILogger).whenTargetNamed('vouch');
    container.bind(PageAddress).toConstantValue(page as unknown as PageAddress);
    container.bind(VouchLinkHandler).toSelf().inSingletonScope();
    container.bind(PageLinkFeeder).toSelf();
    return { handler: container.get(VouchLinkHandler), feeder: container.get(PageLinkFeeder), page, bootstrap, invitations, joinRequests, messages };
}

describe('VouchLinkHandler', () => {
    it('hands each link to the contribution of its action, in both forms', async () => {
        const { handler, bootstrap, invitations, joinRequests, messages } = create();
        const joinReturn = `${SERVER}/?vouch-action=join-return&vouch-join-result=JOIN_PROOF_INVALID&vouch-join-message=Signed+%26+refused`;
        expect(await handler.openLink(buildBootstrapLink(SERVER, 'Acme', 'boot'))).to.equal('opened');
        expect(await handler.openLink(buildInvitationLink(SERVER, 'Acme', 'claim-token'))).to.equal('opened');
        expect(await handler.openLink(toVouchSchemeLink(buildJoinLink(SERVER, 'Acme', ROOT))!)).to.equal('opened');
        expect(await handler.openLink(joinReturn)).to.equal('opened');

        expect(bootstrap.opened).to.deep.equal([{ action: 'bootstrap', serverUrl: SERVER, organizationId: 'Acme', token: 'boot' }]);
        expect(invitations.opened).to.deep.equal([{ action: 'claim', serverUrl: SERVER, organizationId: 'Acme', token: 'claim-token' }]);
        expect(joinRequests.opened).to.deep.equal([
            { action: 'join', serverUrl: SERVER, organizationId: 'Acme', rootVerifyKey: ROOT },
            { action: 'join-return', serverUrl: SERVER, result: 'JOIN_PROOF_INVALID', message: 'Signed & refused' }
        ]);
        expect(messages.shown).to.deep.equal([]);
    });

    it('calls the contribution before it yields, so contributions starting later see the link is taken', () => {
        const { handler, invitations } = create();
        void handler.openLink(buildInvitationLink(SERVER, 'Acme', 'claim-token'));
        expect(invitations.opened).to.have.length(1);
    });

    it('refuses an unknown kind of link and a damaged one, saying so, and opens nothing', async () => {
        const { handler, bootstrap, invitations, joinRequests, messages } = create();
        expect(await handler.openLink(`${SERVER}/?vouch-action=workspace&vouch-org=Acme&vouch-workspace=w1`)).to.equal('unknown-action');
        expect(messages.shown[0]).to.contain('"workspace"');
        expect(await handler.openLink(`${SERVER}/?vouch-action=claim&vouch-org=Acme`)).to.equal('malformed', 'no token');
        expect(await handler.openLink(`${SERVER}/?vouch-action=bootstrap&vouch-org=not%20an%20id&vouch-token=t`)).to.equal('malformed');
        expect(await handler.openLink(`${SERVER}/?vouch-action=constructor&vouch-org=Acme`)).to.equal('unknown-action');
        expect(messages.shown).to.have.length(4);
        expect(messages.shown[1]).to.contain('incomplete or damaged');
        expect([...bootstrap.opened, ...invitations.opened, ...joinRequests.opened]).to.deep.equal([]);
    });

    it('says so when a contribution fails to open its link', async () => {
        const { handler, invitations, messages } = create();
        invitations.failure = new Error('the server went away');
        await handler.openLink(buildInvitationLink(SERVER, 'Acme', 'claim-token'));
        expect(messages.shown).to.deep.equal(['The Vouch link could not be opened: the server went away']);
    });

    it('answers Theia\'s opener for Vouch links only, ahead of the http handler', async () => {
        const { handler, joinRequests } = create();
        const link = new URI(buildJoinLink(SERVER, 'Acme', ROOT));
        expect(handler.canHandle(link)).to.be.greaterThan(HttpOpenHandler.PRIORITY);
        expect(handler.canHandle(new URI(toVouchSchemeLink(buildJoinLink(SERVER, 'Acme', ROOT))!))).to.be.greaterThan(HttpOpenHandler.PRIORITY);
        expect(handler.canHandle(new URI(`${SERVER}/?lang=fr`))).to.equal(0);
        expect(handler.canHandle(new URI('vouch:/workspace/notes.md'))).to.equal(0, 'a file in a workspace is no link');
        await handler.open(link);
        expect(joinRequests.opened).to.have.length(1);
    });
});

describe('PageLinkFeeder', () => {
    it('takes the link the page was opened on out of the address bar and opens it', () => {
        const page = new FakePage(`${SERVER}/?lang=fr&vouch-action=bootstrap&vouch-org=Acme&vouch-token=secret#/home/project`);
        const { feeder, bootstrap } = create(page);
        feeder.onStart();
        expect(page.href).to.equal(`${SERVER}/?lang=fr#/home/project`);
        expect(bootstrap.opened).to.deep.equal([{ action: 'bootstrap', serverUrl: SERVER, organizationId: 'Acme', token: 'secret' }]);
    });

    it('clears a link it cannot open too, and leaves any other page alone', () => {
        const page = new FakePage(`${SERVER}/?vouch-action=claim&vouch-org=Acme`);
        const { feeder, messages } = create(page);
        feeder.onStart();
        expect(page.href).to.equal(`${SERVER}/`);
        expect(messages.shown).to.have.length(1);

        const plain = new FakePage(`${SERVER}/?lang=fr#/home/project`);
        const second = create(plain);
        second.feeder.onStart();
        expect(plain.href).to.equal(`${SERVER}/?lang=fr#/home/project`);
        expect(second.messages.shown).to.deep.equal([]);
    });
});
