import { Command, CommandContribution, CommandRegistry, MessageService, nls } from '@theia/core';
import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { inject, injectable } from '@theia/core/shared/inversify';
import { mayRequest } from '@vouch/protocol';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { JoinRequestsModel } from './join-requests-model';

export const PIN_ANCHORS_COMMAND = Command.toLocalizedCommand(
    { id: 'vouch.joinRequests.pinAnchors', label: 'Pin PKI Trust Anchors', category: 'Vouch' }, 'vouch/joinRequests/pinAnchorsCommand');

/**
 * An Administrator pins the trust anchors the server serves, after comparing their fingerprints
 * with the ones the organization's PKI publishes: from then on, every Administrator's workbench
 * re-checks PKI requests against those anchors only, whatever the server serves later.
 */
@injectable()
export class PkiAnchorsContribution implements CommandContribution {
    @inject(JoinRequestsModel) protected readonly model: JoinRequestsModel;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(MessageService) protected readonly messages: MessageService;

    registerCommands(registry: CommandRegistry): void {
        const allowed = () => this.session.profile !== undefined && mayRequest(this.session.profile, 'joinRequests.pinAnchors');
        registry.registerCommand(PIN_ANCHORS_COMMAND, { execute: () => this.pin(), isEnabled: allowed, isVisible: allowed });
    }

    protected async pin(): Promise<void> {
        await this.model.refresh();
        const served = this.model.served;
        if (served.length === 0) {
            this.messages.warn(nls.localize('vouch/joinRequests/noAnchors', 'This server accepts no PKI join requests: it has no trust anchor to pin.'));
            return;
        }
        const list = served.map(anchor => `${anchor.subject}\nSHA-256 ${anchor.fingerprint}`).join('\n\n');
        const confirmed = await new ConfirmDialog({
            title: nls.localize('vouch/joinRequests/pinTitle', 'Pin PKI Trust Anchors'),
            msg: nls.localize('vouch/joinRequests/pinMessage',
                'Compare these fingerprints with the ones your PKI publishes. Once pinned, every Administrator\'s workbench checks certificates against these anchors only.\n\n{0}', list),
            ok: nls.localize('vouch/joinRequests/pinOk', 'Pin {0} Anchors', served.length)
        }).open();
        if (!confirmed) {
            return;
        }
        const problem = await this.model.pinAnchors(served.map(anchor => anchor.fingerprint));
        if (problem) {
            this.messages.error(nls.localize('vouch/joinRequests/pinFailed', 'The anchors were not pinned: {0}', problem));
        } else {
            this.messages.info(nls.localize('vouch/joinRequests/pinned', 'The organization\'s PKI trust anchors are pinned.'));
        }
    }
}
