import { Command, CommandContribution, CommandRegistry, ILogger, MessageService, nls } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StatusBar, StatusBarAlignment } from '@theia/core/lib/browser/status-bar';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { describeRefusal, describeUnlockFailure } from './vouch-messages';
import { UnlockDialog } from './vouch-dialogs';
import { VouchSession, VouchSessionState } from './vouch-session';
import { CertificateLogWatch } from './certificate-log-watch';
import { DeviceUnlock } from './device-password-keychain';

export const VouchCommands = {
    UNLOCK: Command.toLocalizedCommand({ id: 'vouch.session.unlock', label: 'Unlock Device', category: 'Vouch' }, 'vouch/session/unlock')
};

export const VOUCH_STATUS_BAR_ID = 'vouch-session';

/**
 * Opens the way into the organization on start by unlocking the device this browser holds
 * (creating one is `OrganizationBootstrapContribution`'s), and shows the session in the status
 * bar.
 */
@injectable()
export class VouchSessionContribution implements FrontendApplicationContribution, CommandContribution {
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(DeviceUnlock) protected readonly deviceUnlock: DeviceUnlock;
    @inject(CertificateLogWatch) protected readonly logWatch: CertificateLogWatch;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(StatusBar) protected readonly statusBar: StatusBar;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected unlockDialogOpen = false;

    registerCommands(registry: CommandRegistry): void {
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
        // A log that does not continue the one this device verified: the server rewrote history.
        this.logWatch.onDidFindTampering(refusal => this.messages.error(nls.localize('vouch/session/logTampered',
            'The organization server changed its certificate log after this device verified it ({0}). Do not trust what it shows about members until an Administrator has looked into it.',
            refusal.error.message)));
        this.welcome().catch(error => this.logger.error('Could not open the session', error));
    }

    protected async welcome(): Promise<void> {
        await this.session.ready;
        this.updateStatusBar();
        if (this.session.state === 'locked' && !await this.deviceUnlock.unlockWithRememberedPassword()) {
            await this.openUnlockDialog();
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
                async ({ password, remember }) => {
                    const outcome = await this.deviceUnlock.unlock(password, remember);
                    if (!outcome.ok) {
                        return describeUnlockFailure(outcome.error);
                    }
                    if (outcome.value.rememberFailed) {
                        this.messages.warn(nls.localize('vouch/unlock/rememberFailed', 'Your device is unlocked, but the keychain did not keep the password: {0}', outcome.value.rememberFailed));
                    }
                    return undefined;
                },
                await this.deviceUnlock.canRemember());
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
                const device = this.session.device;
                if (answer === forget && device) {
                    return this.deviceUnlock.forget(device).then(() => this.session.forgetDevice());
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
