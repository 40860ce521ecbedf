/** Latency samples in milliseconds, summarized the way the report prints them. */
export interface LatencySummary {
    readonly count: number;
    readonly p50: number;
    readonly p95: number;
    readonly max: number;
}

/** Nearest-rank percentile (no interpolation): the value a request actually took. */
export function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) {
        return NaN;
    }
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(samples: readonly number[]): LatencySummary {
    const sorted = [...samples].sort((a, b) => a - b);
    return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? NaN };
}

/** Operations per second over a wall-clock span in milliseconds. */
export function ratePerSecond(count: number, elapsedMs: number): number {
    return elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
}

/** High-resolution wall clock in milliseconds. */
export function nowMs(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}
