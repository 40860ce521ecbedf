import { ValueTransformer } from 'typeorm';

/** Times are ms numbers in the domain; mysql2 returns BIGINT as strings. */
export const msTransformer: ValueTransformer = {
    to: (value: number | null | undefined) => value,
    from: (value: string | number | null) => value == null ? null : Number(value)
};
