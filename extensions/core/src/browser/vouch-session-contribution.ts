import { Command, CommandContribution, CommandRegistry, ContributionProvider, ILogger, MessageService, nls } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StatusBar, StatusBarAlignment } from '@theia/core/lib/browser/status-bar';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { BootstrapLink, parseVouchLink } from '@vouch/protocol';
import { BootstrapForm } from '../common/bootstrap-form';
import { BootstrapLinkSource } from './bootstrap-link-source';
import { describeBootstrapFailure, describeRefusal, describeUnlockFailure } from './vouch-messages';
import { CreateOrganizationDialog, UnlockDialog } from './vouch-dialogs';
import { VouchSession, VouchSessionState } from './vouch-session';

export const VouchCommands = {
    CREATE_ORGANIZATION: Command.toLocalizedCommand({ id: 'vouch.organization.create', label: 'Create Organization', category: 'Vouch' }, 'vouch/organization/create'),
    UNLOCK: Command.toLocalizedCommand({ id: 'vouch.session.unlock', label: 'Unlock Device', category: 'Vouch' }, 'vouch/session/unlock')
};

export const VOUCH_STATUS_BAR_ID = 'vouch-session';

/**
 * Opens the way into the organization on start: unlock the device this browser holds, or
 * offer to create the organization a link or the embedded server points at. Also shows the
 * session in the status bar.
 */
@injectable()
export class VouchSessionContribution implements FrontendApplicationContribution, CommandContribution {
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(ContributionProvider) @named(BootstrapLinkSource) protected readonly bootstrapLinkSources: ContributionProvider<BootstrapLinkSource>;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(StatusBar) protected readonly statusBar: StatusBar;
    @inject(CommandRegistry) protected readonly commands: CommandRegistry;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected unlockDialogOpen = false;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(VouchCommands.CREATE_ORGANIZATION, {
            execute: () => this.createOrganization(),
            isEnabled: () => this.session.state === 'no-device'
        });
        registry.registerCommand(VouchCommands.UNLOCK, {
            execute: () => this.openUnlockDialog(),
            isEnabled: () => this.session.state === 'locked' || this.session.state === 'refused'
        });
    }

    onStart(): void {
        this.session.onDidChangeState(state => {
            this.updateStatusBar();
            this.tellWhyRefused(state);
        });
        this.welcome().catch(error => this.logger.error('Could not open the session', error));
    }

    protected async welcome(): Promise<void> {
        await this.session.ready;
        this.updateStatusBar();
        if (this.session.state === 'locked') {
            await this.openUnlockDialog();
            return;
        }
        if (parseVouchLink(window.location.href)) {
            // The person followed a bootstrap link: that is the question answered already.
            await this.createOrganization();
            return;
        }
        const link = await this.findBootstrapLink();
        if (!link) {
            return;
        }
        const create = nls.localize('vouch/bootstrap/offerAction', 'Create Organization');
        const answer = await this.messages.info(
            nls.localize('vouch/bootstrap/offer', 'The organization {0} is waiting for its first Administrator.', link.organizationId), create);
        if (answer === create) {
            await this.commands.executeCommand(VouchCommands.CREATE_ORGANIZATION.id);
        }
    }

    /** A link in the page address wins over the organization an embedded server holds open. */
    protected async findBootstrapLink(): Promise<BootstrapLink | undefined> {
        const fromPage = parseVouchLink(window.location.href);
        if (fromPage) {
            return fromPage;
        }
        for (const source of this.bootstrapLinkSources.getContributions()) {
            const pending = await source.pendingBootstrapLink();
            if (pending) {
                return pending;
            }
        }
        return undefined;
    }

    protected async createOrganization(): Promise<void> {
        const link = await this.findBootstrapLink();
        if (!link) {
            this.messages.warn(nls.localize('vouch/bootstrap/noLink', 'No organization is waiting to be created. Open the bootstrap link the server printed.'));
            return;
        }
        const dialog = new CreateOrganizationDialog(link.organizationId, async (form: BootstrapForm) => {
            const outcome = await this.session.bootstrap(link, form);
            return outcome.ok ? undefined : describeBootstrapFailure(outcome.error);
        });
        const done = await dialog.open();
        if (done) {
            this.messages.info(nls.localize('vouch/bootstrap/done', 'The organization {0} is ready.', link.organizationId));
        }
    }

    protected async openUnlockDialog(): Promise<void> {
        const device = this.session.device;
        if (!device || this.unlockDialogOpen) {
            return;
        }
        this.unlockDialogOpen = true;
        try {
            const dialog = new UnlockDialog(
                nls.localize('vouch/unlock/description', '{0} <{1}> in {2}, on {3}', device.humanHandle.label, device.humanHandle.email, device.organizationId, device.deviceLabel),
                async password => {
                    const outcome = await this.session.unlock(password);
                    return outcome.ok ? undefined : describeUnlockFailure(outcome.error);
                });
            await dialog.open();
        } finally {
            this.unlockDialogOpen = false;
        }
    }

    protected toldRevoked = false;

    /** A revoked user learns it at once, in words, not only from the status bar. */
    protected tellWhyRefused(state: VouchSessionState): void {
        if (state === 'refused' && this.session.refusal?.code === 'AUTH_USER_REVOKED' && !this.toldRevoked) {
            this.toldRevoked = true;
            const forget = nls.localize('vouch/session/forgetDevice', 'Forget This Device');
            this.messages.error(nls.localize('vouch/session/revokedNotice',
                'You were disconnected: your user was revoked from {0}. Every device of yours has lost access and this device is locked. To come back, ask an Administrator to invite you again as a new user.',
                this.session.organizationId ?? ''), forget).then(answer => {
                if (answer === forget) {
                    return this.session.forgetDevice();
                }
            }).catch(error => this.logger.error('Could not forget the device', error));
        } else if (state === 'connected') {
            this.toldRevoked = false;
        }
    }

    protected statusTooltip(): string {
        const device = this.session.device;
        const refusal = this.session.refusal;
        if (this.session.state === 'refused' && refusal) {
            return describeRefusal(refusal);
        }
        if (!device) {
            return '';
        }
        return nls.localize('vouch/status/tooltip', '{0} <{1}> in {2}, on {3}', device.humanHandle.label, device.humanHandle.email, device.organizationId, device.deviceLabel);
    }

    protected updateStatusBar(): void {
        const state = this.session.state;
        const organization = this.session.organizationId;
        if (!organization) {
            this.statusBar.removeElement(VOUCH_STATUS_BAR_ID);
            return;
        }
        this.statusBar.setElement(VOUCH_STATUS_BAR_ID, {
            text: `$(${STATE_ICONS[state]}) ${organization}: ${stateLabel(state)}`,
            className: 'vouch-session-status',
            alignment: StatusBarAlignment.LEFT,
            priority: 100,
            tooltip: this.statusTooltip(),
            command: state === 'locked' || state === 'refused' ? VouchCommands.UNLOCK.id : undefined
        });
    }
}

const STATE_ICONS: Record<VouchSessionState, string> = {
    'no-device': 'circle-slash',
    locked: 'lock',
    connecting: 'sync~spin',
    connected: 'pass',
    reconnecting: 'sync~spin',
    refused: 'error'
};

function stateLabel(state: VouchSessionState): string {
    switch (state) {
        case 'no-device': return nls.localize('vouch/status/noDevice', 'no device');
        case 'locked': return nls.localize('vouch/status/locked', 'locked');
        case 'connecting': return nls.localize('vouch/status/connecting', 'connecting');
        case 'connected': return nls.localize('vouch/status/connected', 'connected');
        case 'reconnecting': return nls.localize('vouch/status/reconnecting', 'reconnecting');
        case 'refused': return nls.localize('vouch/status/refused', 'refused');
    }
}
