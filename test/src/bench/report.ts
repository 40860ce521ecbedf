import * as os from 'os';
import { LatencySummary } from './stats';

export type Verdict = 'MET' | 'MISSED' | 'FAILED';

/** One line of the final table: the figure, what it should be, and the ceiling this machine reached in the same run. */
export interface ResultRow {
    readonly scenario: string;
    readonly database: string;
    readonly result: string;
    readonly target: string;
    readonly limit: string;
    readonly verdict: Verdict;
    readonly bound: string;
}

export function write(line = ''): void {
    process.stdout.write(`${line}\n`);
}

export function machineLine(): string {
    const cpus = os.cpus();
    const model = cpus[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU';
    const memoryGiB = (os.totalmem() / 2 ** 30).toFixed(1);
    return `${cpus.length} cores, ${model}, ${memoryGiB} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
}

/** Other work on the machine shares its cores with client and server: the figures move with it. */
export function loadLine(): string {
    return `load average ${os.loadavg().map(value => value.toFixed(2)).join(' / ')} (1 / 5 / 15 min) on ${os.cpus().length} cores`;
}

export function ms(value: number): string {
    return Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : 'n/a';
}

export function latency(summary: LatencySummary): string {
    return `p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}`;
}

export function count(value: number): string {
    return Math.round(value).toLocaleString('en-US');
}

/** A plain-text table, columns padded to their widest cell. */
export function table(rows: readonly ResultRow[]): string {
    const header = ['Scenario', 'Database', 'Result', 'Target', 'Ceiling / floor (same run)', 'Verdict', 'Stopped by'];
    const cells = [header, ...rows.map(row => [row.scenario, row.database, row.result, row.target, row.limit, row.verdict, row.bound])];
    const widths = header.map((_, column) => Math.max(...cells.map(line => line[column].length)));
    const render = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column])).join(' | ').trimEnd();
    return [render(cells[0]), widths.map(width => '-'.repeat(width)).join('-|-'), ...cells.slice(1).map(render)].join('\n');
}
