import * as React from '@theia/core/shared/react';
import { codicon, Message, ReactWidget } from '@theia/core/lib/browser';
import { MessageService, nls } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { HISTORY_KINDS, HistoryKind, HistoryRow } from '../../common/history-rows';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { HistoryExporter, HistoryExportFormat } from './history-exporter';
import { HISTORY_PROGRESS_LOCATION, OrganizationHistoryModel } from './organization-history-model';
import { ViewProgress } from '@vouch/core/lib/browser/view-progress';
import { ProgressBarFactory } from '@theia/core/lib/browser/progress-bar-factory';

export const ORGANIZATION_HISTORY_WIDGET_ID = 'vouch-organization-history';

const KIND_LABELS: Record<HistoryKind, () => string> = {
    bootstrap: () => nls.localize('vouch/history/kind/bootstrap', 'Bootstrap'),
    user: () => nls.localize('vouch/history/kind/user', 'User added'),
    device: () => nls.localize('vouch/history/kind/device', 'Device added'),
    profile: () => nls.localize('vouch/history/kind/profile', 'Profile changed'),
    revocation: () => nls.localize('vouch/history/kind/revocation', 'User revoked'),
    'trust-anchors': () => nls.localize('vouch/history/kind/trustAnchors', 'PKI trust anchors pinned')
};

/** Renders the OrganizationHistoryModel: filters, export, and the re-checked log. */
@injectable()
export class OrganizationHistoryWidget extends ReactWidget {
    @inject(OrganizationHistoryModel) protected readonly model: OrganizationHistoryModel;
    @inject(HistoryExporter) protected readonly exporter: HistoryExporter;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(ProgressBarFactory) protected readonly progressBarFactory: ProgressBarFactory;
    @inject(MessageService) protected readonly messages: MessageService;

    /** Exports what the filters show, as re-checked. */
    protected exportAs(format: HistoryExportFormat): void {
        this.exporter.export(format, this.model.rows, this.session.organizationId ?? 'organization')
            .catch(error => this.messages.error(nls.localize('vouch/history/exportFailed', 'The history could not be exported: {0}', String(error))));
    }

    @postConstruct()
    protected init(): void {
        this.id = ORGANIZATION_HISTORY_WIDGET_ID;
        this.title.label = nls.localize('vouch/history/title', 'Organization History');
        this.title.caption = this.title.label;
        this.title.iconClass = codicon('history');
        this.title.closable = true;
        this.addClass('vouch-history');
        this.update();
    }

    protected override onAfterAttach(msg: Message): void {
        super.onAfterAttach(msg);
        this.toDisposeOnDetach.push(this.model.onDidChange(() => this.update()));
        this.model.open();
    }

    protected render(): React.ReactNode {
        const model = this.model;
        const filter = model.filter;
        return <div className='vouch-users-content'>
            <ViewProgress factory={this.progressBarFactory} locationId={HISTORY_PROGRESS_LOCATION} />
            <div className='vouch-history-toolbar'>
                <select className='theia-select vouch-history-user' value={filter.userId ?? ''} aria-label={nls.localize('vouch/history/byUser', 'User')}
                    onChange={event => model.setFilter({ ...filter, userId: event.target.value || undefined })}>
                    <option value=''>{nls.localize('vouch/history/everyUser', 'Every user')}</option>
                    {model.users.map(user => <option key={user.userId} value={user.userId}>{user.name}</option>)}
                </select>
                <select className='theia-select vouch-history-kind' value={filter.kind ?? ''} aria-label={nls.localize('vouch/history/byKind', 'Kind')}
                    onChange={event => model.setFilter({ ...filter, kind: (event.target.value || undefined) as HistoryKind | undefined })}>
                    <option value=''>{nls.localize('vouch/history/everyKind', 'Every kind')}</option>
                    {HISTORY_KINDS.map(kind => <option key={kind} value={kind}>{KIND_LABELS[kind]()}</option>)}
                </select>
                <button className='theia-button secondary vouch-history-export-json' disabled={model.everyRow.length === 0} onClick={() => this.exportAs('json')}>{nls.localize('vouch/history/exportJson', 'Export JSON')}</button>
                <button className='theia-button secondary vouch-history-export-csv' disabled={model.everyRow.length === 0} onClick={() => this.exportAs('csv')}>{nls.localize('vouch/history/exportCsv', 'Export CSV')}</button>
            </div>
            {model.stale && <div className='vouch-users-stale'>{nls.localize('vouch/history/stale', 'Reconnecting: this history may be out of date.')}</div>}
            {model.error && <div className='vouch-users-error'>{model.error}</div>}
            {!model.error && !model.loading && <div className='vouch-history-verified'>{nls.localize('vouch/history/verified', '{0} certificates, each re-checked from the organization root key.', model.everyRow.length)}</div>}
            <table className='vouch-users-table vouch-history-table'>
                <thead><tr>
                    <th>#</th>
                    <th>{nls.localize('vouch/history/when', 'When')}</th>
                    <th>{nls.localize('vouch/history/what', 'What')}</th>
                    <th>{nls.localize('vouch/history/who', 'By')}</th>
                    <th>{nls.localize('vouch/history/whom', 'User')}</th>
                    <th>{nls.localize('vouch/history/details', 'Details')}</th>
                </tr></thead>
                <tbody>{model.rows.map(row => this.renderRow(row))}</tbody>
            </table>
            {model.loading && <div className='vouch-users-loading'>{nls.localizeByDefault('Loading...')}</div>}
        </div>;
    }

    protected renderRow(row: HistoryRow): React.ReactNode {
        return <tr key={row.index} className='vouch-history-row' data-kind={row.kind}>
            <td>{row.index}</td>
            <td>{new Date(row.time).toLocaleString()}</td>
            <td>{KIND_LABELS[row.kind]()}</td>
            <td>{row.authorName}{row.authorProfile ? ` (${PROFILE_LABELS[row.authorProfile]()})` : ''}</td>
            <td>{row.subjectName}</td>
            <td>{this.details(row)}</td>
        </tr>;
    }

    protected details(row: HistoryRow): string {
        switch (row.kind) {
            case 'profile':
                return `${row.previousProfile ? PROFILE_LABELS[row.previousProfile]() : '?'} → ${row.profile ? PROFILE_LABELS[row.profile]() : '?'}`;
            case 'device':
                return row.deviceLabel ?? nls.localize('vouch/users/hidden', '(hidden)');
            case 'bootstrap':
            case 'user':
                return row.profile ? PROFILE_LABELS[row.profile]() : row.deviceLabel ?? '';
            case 'revocation':
                return '';
            case 'trust-anchors':
                return nls.localize('vouch/history/anchors', '{0} anchors (SHA-256 {1})', row.anchors?.length ?? 0, (row.anchors ?? []).map(anchor => anchor.slice(0, 8)).join(', '));
        }
    }
}
