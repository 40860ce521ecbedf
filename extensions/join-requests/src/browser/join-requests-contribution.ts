import { Command, CommandContribution, CommandRegistry, CommandService, ILogger, MessageService, nls } from '@theia/core';
import { FrontendApplicationContribution, ViewContainer, WidgetManager } from '@theia/core/lib/browser';
import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { INVITATIONS_VIEW_CONTAINER_ID } from '@vouch/core/lib/browser/vouch-views';
import { VouchLinkContribution } from '@vouch/core/lib/browser/vouch-link-handler';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { VouchServerLocation } from '@vouch/core/lib/browser/vouch-server-location';
import { buildJoinLink, JoinLink, LinkAction, toBase64Url, VouchLink } from '@vouch/protocol';
import { JoinRequestDialog } from './join-request-dialogs';
import { JoinRequester } from './join-requester';
import { PendingJoin } from '../common/pending-join';
import { JOIN_REQUESTS_WIDGET_ID } from './join-requests-widget';

export const JoinRequestCommands = {
    COPY_LINK: Command.toLocalizedCommand({ id: 'vouch.joinRequests.copyLink', label: 'Copy Join Request Link', category: 'Vouch' }, 'vouch/joinRequests/copyLinkCommand'),
    SHOW: Command.toLocalizedCommand({ id: 'vouch.joinRequests.show', label: 'Show Join Requests', category: 'Vouch' }, 'vouch/joinRequests/showCommand'),
    REQUEST: Command.toLocalizedCommand({ id: 'vouch.joinRequests.myRequest', label: 'Show My Join Request', category: 'Vouch' }, 'vouch/joinRequests/myRequestCommand')
};

const INVITATIONS_SHOW_COMMAND = 'vouch.invitations.show';
const USERS_SHOW_COMMAND = 'vouch.users.show';

/**
 * Adds the "Join Requests" part to the shared view container, the admin's link command, and
 * the requester's way in: the join link, the return from an identity provider, or a request
 * left pending when the workbench was closed.
 */
@injectable()
export class JoinRequestsContribution implements CommandContribution, FrontendApplicationContribution, VouchLinkContribution {
    readonly actions: readonly LinkAction[] = ['join', 'join-return'];

    @inject(WidgetManager) protected readonly widgets: WidgetManager;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(VouchServerLocation) protected readonly serverLocation: VouchServerLocation;
    @inject(JoinRequester) protected readonly requester: JoinRequester;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ClipboardService) protected readonly clipboard: ClipboardService;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected linkOpened = false;
    protected restoring?: Promise<PendingJoin | undefined>;

    registerCommands(registry: CommandRegistry): void {
        const admin = () => this.session.state === 'connected' && this.session.profile === 'ADMINISTRATOR';
        registry.registerCommand(JoinRequestCommands.COPY_LINK, { execute: () => this.copyLink(), isEnabled: admin, isVisible: admin });
        registry.registerCommand(JoinRequestCommands.SHOW, { execute: () => this.show() });
        registry.registerCommand(JoinRequestCommands.REQUEST, { execute: () => this.openRequester(undefined), isVisible: () => this.session.state === 'no-device' });
    }

    initialize(): void {
        // The invitations extension creates the shared container; our part joins it as it is made.
        this.widgets.onWillCreateWidget(event => {
            if (event.factoryId === INVITATIONS_VIEW_CONTAINER_ID && event.widget instanceof ViewContainer) {
                const container = event.widget;
                event.waitUntil(this.widgets.getOrCreateWidget(JOIN_REQUESTS_WIDGET_ID).then(part => {
                    container.addWidget(part, { canHide: true, initiallyCollapsed: false, order: 1 });
                }));
            }
        });
    }

    onStart(): void {
        this.welcomeBack().catch(error => this.logger.error('Could not open the join request', error));
    }

    /** The request this browser left pending, read once whoever asks first. */
    protected restore(): Promise<PendingJoin | undefined> {
        return this.restoring ??= this.requester.restore();
    }

    /** A request left pending when the workbench was closed reopens its dialog, unless a link is being opened. */
    protected async welcomeBack(): Promise<void> {
        const pending = await this.restore();
        await this.session.ready;
        if (pending && !this.linkOpened && this.session.state === 'no-device') {
            await this.openRequester(undefined);
        }
    }

    protected linkFromSession(): string | undefined {
        const root = this.session.rootVerifyKey;
        const organizationId = this.session.organizationId;
        return root && organizationId ? buildJoinLink(this.serverLocation.serverUrl, organizationId, toBase64Url(root)) : undefined;
    }

    protected async copyLink(): Promise<void> {
        const link = this.linkFromSession();
        if (!link) {
            this.messages.warn(nls.localize('vouch/joinRequests/unlockFirst', 'Unlock your device first'));
            return;
        }
        await Promise.resolve(this.clipboard.writeText(link)).catch(() => undefined);
        this.messages.info(nls.localize('vouch/joinRequests/linkCopied', 'Join request link copied: {0}', link));
    }

    protected async show(): Promise<void> {
        await this.commands.executeCommand(INVITATIONS_SHOW_COMMAND);
        const part = await this.widgets.getWidget(JOIN_REQUESTS_WIDGET_ID);
        part?.show();
        part?.activate();
    }

    /** The join link was opened, or the browser came back from an identity provider. */
    async openLink(link: VouchLink): Promise<void> {
        if (link.action !== 'join' && link.action !== 'join-return') {
            return;
        }
        this.linkOpened = true;
        await this.restore();
        await this.session.ready;
        if (this.session.state !== 'no-device') {
            if (link.action === 'join') {
                this.messages.warn(nls.localize('vouch/join/hasDevice', 'This browser already holds a device of {0}. Open the join link in another browser or profile.',
                    this.session.device?.humanHandle.email ?? ''));
            }
            return;
        }
        let problem: string | undefined;
        if (link.action === 'join-return' && link.result !== 'submitted') {
            problem = link.message ?? link.result;
            // The provider refused: the request does not exist; the requester may try again.
            await this.requester.forget();
        }
        await this.openRequester(link.action === 'join' ? link : undefined, problem);
    }

    protected async openRequester(link: JoinLink | undefined, problem?: string): Promise<void> {
        const pending = this.requester.pending;
        const joinLink = link ?? (pending ? { action: 'join' as const, serverUrl: pending.serverUrl, organizationId: pending.payload.organizationId, rootVerifyKey: pending.rootVerifyKey } : undefined);
        const methods = joinLink ? await this.requester.methods(joinLink.organizationId) : undefined;
        if (methods && !methods.ok && !pending) {
            this.messages.error(methods.error);
            return;
        }
        const dialog = new JoinRequestDialog(this.requester, joinLink, methods?.ok ? methods.value : undefined, () => {
            this.messages.info(nls.localize('vouch/join/welcome', 'Welcome to {0}', joinLink?.organizationId ?? ''));
            this.commands.executeCommand(USERS_SHOW_COMMAND).catch(() => undefined);
        }, problem);
        await dialog.open();
    }
}
