import { MessageService, nls, URI } from '@theia/core';
import { ConfirmDialog, LabelProvider } from '@theia/core/lib/browser';
import { inject, injectable } from '@theia/core/shared/inversify';
import { FileDialogService } from '@theia/filesystem/lib/browser/file-dialog/file-dialog-service';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { HistoryRow, historyCsv, historyJson } from '../../common/history-rows';

export type HistoryExportFormat = 'json' | 'csv';

const FORMAT_NAMES: Record<HistoryExportFormat, () => string> = {
    json: () => nls.localize('vouch/history/jsonFiles', 'JSON files'),
    csv: () => nls.localize('vouch/history/csvFiles', 'CSV files')
};

/** Writes the history where the person chooses, through Theia's save dialog and file service. */
@injectable()
export class HistoryExporter {
    @inject(FileDialogService) protected readonly fileDialogs: FileDialogService;
    @inject(FileService) protected readonly files: FileService;
    @inject(LabelProvider) protected readonly labels: LabelProvider;
    @inject(MessageService) protected readonly messages: MessageService;

    /** Resolves to where the file was written, or undefined when the person cancelled. */
    async export(format: HistoryExportFormat, rows: readonly HistoryRow[], baseName: string): Promise<URI | undefined> {
        const target = await this.fileDialogs.showSaveDialog({
            title: nls.localize('vouch/history/exportTitle', 'Export Organization History'),
            saveLabel: nls.localize('vouch/history/exportSave', 'Export'),
            inputValue: `${baseName}-history.${format}`,
            filters: { [FORMAT_NAMES[format]()]: [format] }
        });
        if (!target || (await this.files.exists(target) && !await this.confirmOverwrite(target))) {
            return undefined;
        }
        await this.files.write(target, format === 'json' ? historyJson(rows) : historyCsv(rows));
        this.messages.info(nls.localize('vouch/history/exported', 'The history was exported to {0}', this.labels.getLongName(target)));
        return target;
    }

    protected async confirmOverwrite(target: URI): Promise<boolean> {
        return !!await new ConfirmDialog({
            title: nls.localizeByDefault('Overwrite'),
            msg: nls.localizeByDefault('{0} already exists. Are you sure you want to overwrite it?', this.labels.getName(target))
        }).open();
    }
}
