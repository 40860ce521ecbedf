import { Command, CommandContribution, CommandRegistry, ContributionProvider, ILogger, MessageService, nls } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { BootstrapLink, LinkAction, VouchLink } from '@vouch/protocol';
import { BootstrapForm } from '../common/bootstrap-form';
import { BootstrapLinkSource } from './bootstrap-link-source';
import { VouchConnection } from './vouch-connection';
import { CreateOrganizationDialog } from './vouch-dialogs';
import { VouchLinkContribution } from './vouch-link-handler';
import { describeBootstrapFailure } from './vouch-messages';
import { VouchSession } from './vouch-session';
import { WithdrawableMessage, WithdrawableNotifications } from './withdrawable-notifications';

export const BootstrapCommands = {
    CREATE_ORGANIZATION: Command.toLocalizedCommand({ id: 'vouch.organization.create', label: 'Create Organization', category: 'Vouch' }, 'vouch/organization/create')
};

/** What the server says of an organization a bootstrap link names. */
type Availability = 'waiting' | 'exists' | 'unknown' | { readonly unreachable: string };

/**
 * Creating the organization: from its bootstrap link (opened directly), or from the
 * organization a source such as the embedded server holds open (offered in a notification).
 * "Create Organization" is offered only while this workbench holds no device and knows an
 * organization still waiting for its first Administrator; the offer goes away once that no
 * longer holds.
 */
@injectable()
export class OrganizationBootstrapContribution implements CommandContribution, FrontendApplicationContribution, VouchLinkContribution {
    readonly actions: readonly LinkAction[] = ['bootstrap'];

    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(ContributionProvider) @named(BootstrapLinkSource) protected readonly sources: ContributionProvider<BootstrapLinkSource>;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(WithdrawableNotifications) protected readonly notifications: WithdrawableNotifications;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    /** The organization this workbench may create, as last known; undefined when there is nothing to create. */
    protected offer?: BootstrapLink;
    protected offerNotice?: WithdrawableMessage;
    protected linkFollowed = false;
    protected dialogOpen = false;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(BootstrapCommands.CREATE_ORGANIZATION, {
            execute: () => this.createOrganization(),
            isEnabled: () => this.mayCreate(),
            isVisible: () => this.mayCreate()
        });
    }

    protected mayCreate(): boolean {
        return this.session.state === 'no-device' && this.offer !== undefined;
    }

    onStart(): void {
        this.session.onDidChangeState(state => {
            if (state !== 'no-device') {
                this.withdrawOffer();
            }
        });
        this.offerPending().catch(error => this.logger.error('Could not offer to create the organization', error));
    }

    /** Called before the page link feeder's `openLink` returns: the offer below then stays away. */
    async openLink(link: VouchLink): Promise<void> {
        if (link.action !== 'bootstrap') {
            return;
        }
        this.linkFollowed = true;
        this.withdrawOffer();
        // The person followed a bootstrap link: that is the question answered already.
        await this.createOrganization(link);
    }

    /** Nobody followed a link: offer the organization a source (the embedded server) holds open. */
    protected async offerPending(): Promise<void> {
        await this.session.ready;
        const link = this.session.state === 'no-device' && !this.linkFollowed ? await this.pendingFromSources() : undefined;
        if (!link || this.session.state !== 'no-device' || this.linkFollowed) {
            return;
        }
        this.offer = link;
        const create = nls.localize('vouch/bootstrap/offerAction', 'Create Organization');
        const notice = this.offerNotice = this.notifications.info(
            nls.localize('vouch/bootstrap/offer', 'The organization {0} is waiting for its first Administrator.', link.organizationId), create);
        if (await notice.answer === create) {
            await this.createOrganization();
        }
    }

    protected async pendingFromSources(): Promise<BootstrapLink | undefined> {
        for (const source of this.sources.getContributions()) {
            const pending = await source.pendingBootstrapLink();
            if (pending) {
                return pending;
            }
        }
        return undefined;
    }

    protected withdrawOffer(): void {
        this.offerNotice?.withdraw();
        this.offerNotice = undefined;
        if (this.session.state !== 'no-device') {
            this.offer = undefined;
        }
    }

    /** Asks the server first, so a used link says so before anyone types five fields. */
    protected async createOrganization(followed?: BootstrapLink): Promise<void> {
        await this.session.ready;
        const link = followed ?? this.offer;
        if (!link) {
            this.messages.warn(nls.localize('vouch/bootstrap/noLink', 'No organization is waiting to be created. Open the bootstrap link the server printed.'));
            return;
        }
        const availability = await this.availability(link);
        if (availability !== 'waiting') {
            // An unreachable server may come back: "Create Organization" then stays in the palette.
            this.offer = typeof availability === 'object' ? link : undefined;
            this.withdrawOffer();
            this.tellUnavailable(link, availability);
            return;
        }
        if (this.session.state !== 'no-device') {
            this.messages.warn(nls.localize('vouch/bootstrap/hasDevice',
                'This browser already holds a device of {0}. Open the bootstrap link in another browser or profile.', this.session.organizationId ?? ''));
            return;
        }
        this.offer = link;
        if (this.dialogOpen) {
            return;
        }
        this.dialogOpen = true;
        try {
            await this.openCreateDialog(link);
        } finally {
            this.dialogOpen = false;
        }
    }

    protected async availability(link: BootstrapLink): Promise<Availability> {
        const reply = await this.connection.requestAnonymous('organization.status', { organizationId: link.organizationId });
        if (reply.ok) {
            return reply.value.bootstrapped ? 'exists' : 'waiting';
        }
        return reply.error.code === 'ORGANIZATION_NOT_FOUND' ? 'unknown' : { unreachable: reply.error.message };
    }

    protected tellUnavailable(link: BootstrapLink, availability: Exclude<Availability, 'waiting'>): void {
        if (availability === 'exists') {
            this.messages.info(nls.localize('vouch/bootstrap/exists',
                'The organization {0} already exists: its bootstrap link was used. To join it, ask one of its Administrators for an invitation.', link.organizationId));
        } else if (availability === 'unknown') {
            this.messages.warn(describeBootstrapFailure({ kind: 'server', code: 'ORGANIZATION_NOT_FOUND', message: '' }));
        } else {
            this.messages.warn(nls.localize('vouch/bootstrap/unreachable', 'Could not ask the server about {0}: {1}', link.organizationId, availability.unreachable));
        }
    }

    protected async openCreateDialog(link: BootstrapLink): Promise<void> {
        const dialog = new CreateOrganizationDialog(link.organizationId, async (form: BootstrapForm) => {
            const outcome = await this.session.bootstrap(link, form);
            if (!outcome.ok && outcome.error.kind === 'server' && outcome.error.code === 'ORGANIZATION_ALREADY_BOOTSTRAPPED') {
                this.offer = undefined;
            }
            return outcome.ok ? undefined : describeBootstrapFailure(outcome.error);
        });
        const done = await dialog.open();
        if (done) {
            this.messages.info(nls.localize('vouch/bootstrap/done', 'The organization {0} is ready.', link.organizationId));
        }
    }
}
