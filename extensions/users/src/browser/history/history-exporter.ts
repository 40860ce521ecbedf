import { injectable } from '@theia/core/shared/inversify';
import { HistoryRow, historyCsv, historyJson } from '../../common/history-rows';

export type HistoryExportFormat = 'json' | 'csv';

/** Hands the history to the browser as a file download. */
@injectable()
export class HistoryExporter {
    export(format: HistoryExportFormat, rows: readonly HistoryRow[], baseName: string): void {
        const text = format === 'json' ? historyJson(rows) : historyCsv(rows);
        const url = URL.createObjectURL(new Blob([text], { type: format === 'json' ? 'application/json' : 'text/csv' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = `${baseName}-history.${format}`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
}
