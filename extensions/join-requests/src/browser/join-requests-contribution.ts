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
import { JoinRequestsModel } from './join-requests-model';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { NOTIFY_JOIN_REQUESTS, VouchNotificationPreferences } from '@vouch/core/lib/common/notification-preferences';
import { VouchContextKeys, whenMay, whenMayNow } from '@vouch/core/lib/common/vouch-context-keys';
import { JOIN_REQUESTS_WIDGET_ID } from './join-requests-widget';

export const JoinRequestCommands = {
    COPY_LINK: Command.toLocalizedCommand({ id: 'vouch.joinRequests.copyLink', label: 'Copy Join Request Link', category: 'Vouch' }, 'vouch/joinRequests/copyLinkCommand'),
    SHOW: Command.toLocalizedCommand({ id: 'vouch.joinRequests.show', label: 'Show Join Requests', category: 'Vouch' }, 'vouch/joinRequests/showCommand'),
    REQUEST: Command.toLocalizedCommand({ id: 'vouch.joinRequests.myRequest', label: 'Show My Join Request', category: 'Vouch' }, 'vouch/joinRequests/myRequestCommand')
};

const INVITATIONS_SHOW_COMMAND = 'vouch.invitations.show';
const USERS_SHOW_COMMAND = 'vouch.users.show';
const WHEN_NO_DEVICE = `${VouchContextKeys.SESSION_STATE} == no-device`;

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
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;
    @inject(JoinRequestsModel) protected readonly model: JoinRequestsModel;
    @inject(VouchNotificationPreferences) protected readonly notificationPreferences: VouchNotificationPreferences;

    protected linkOpened = false;
    protected restoring?: Promise<PendingJoin | undefined>;

    registerCommands(registry: CommandRegistry): void {
        // The link is worth handing out by those who decide the requests it brings (the rights matrix).
        registry.registerCommand(JoinRequestCommands.COPY_LINK, {
            execute: () => this.copyLink(),
            isVisible: () => this.contextKeys.match(whenMay('joinRequests.accept')),
            isEnabled: () => this.contextKeys.match(whenMayNow('joinRequests.accept'))
        });
        registry.registerCommand(JoinRequestCommands.SHOW, { execute: () => this.show() });
        registry.registerCommand(JoinRequestCommands.REQUEST, {
            execute: () => this.openRequester(undefined),
            isVisible: () => this.contextKeys.match(WHEN_NO_DEVICE)
        });
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
        this.model.onDidChange(() => this.notifyNewRequests());
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

    /** Requests seen since the session connected; a notification for each one that arrives after. */
    protected seenRequests?: Set<string>;

    protected notifyNewRequests(): void {
        if (!this.model.mayList) {
            this.seenRequests = undefined;
            return;
        }
        if (this.model.loading) {
            // Compared once the list is read: those pending at unlock are counted in the view's badge, not announced.
            return;
        }
        const current = this.model.requests;
        const seen = this.seenRequests;
        this.seenRequests = new Set(current.map(row => row.request.requestId));
        if (!seen || !this.notificationPreferences[NOTIFY_JOIN_REQUESTS]) {
            return;
        }
        // No button: a notification with one stays until clicked, and would outlive the request once another
        // Administrator decided it. This one hides after Theia's notification timeout; the view keeps the count.
        for (const { request } of current.filter(row => !seen.has(row.request.requestId))) {
            this.messages.info(nls.localize('vouch/joinRequests/arrived', '{0} ({1}) asks to join the organization. Decide in the Join Requests view.',
                request.payload.name, request.identity.email));
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
