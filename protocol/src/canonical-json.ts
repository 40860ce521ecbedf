/**
 * Canonical JSON: the one byte form of a value that gets signed. Keys sorted by UTF-16 code
 * units, no white space, integers only (certificates carry no fractions), strings escaped as
 * JSON.stringify does. Two parties that agree on a value agree on its bytes.
 */
export type CanonicalValue = null | boolean | number | string | CanonicalValue[] | { [key: string]: CanonicalValue | undefined };

export function canonicalJson(value: CanonicalValue): string {
    if (value === null || typeof value === 'boolean') {
        return JSON.stringify(value);
    }
    if (typeof value === 'number') {
        if (!Number.isSafeInteger(value)) {
            throw new TypeError(`canonical JSON carries safe integers only, got ${value}`);
        }
        return String(value);
    }
    if (typeof value === 'string') {
        return JSON.stringify(value);
    }
    if (Array.isArray(value)) {
        return '[' + value.map(canonicalJson).join(',') + ']';
    }
    const keys = Object.keys(value).filter(key => value[key] !== undefined).sort();
    return '{' + keys.map(key => JSON.stringify(key) + ':' + canonicalJson(value[key] as CanonicalValue)).join(',') + '}';
}
