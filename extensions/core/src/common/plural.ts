import { nls } from '@theia/core/lib/common/nls';

/** The English forms; a translation may add the other plural categories of its language under the same key. */
export interface PluralForms {
    /** Exactly one, e.g. "One user will be revoked". */
    readonly one: string;
    /** Any other count, with `{0}` for the count, e.g. "{0} users will be revoked". */
    readonly other: string;
}

/**
 * A count in words, in the plural form the language wants ("1 user", "2 users"; Polish has
 * four forms): `key/one`, `key/few`, … per `Intl.PluralRules` of the display language, each
 * falling back to the English `other`. `{0}` is the count; further arguments are `{1}`, ….
 */
export function localizePlural(key: string, count: number, forms: PluralForms, ...args: (string | number)[]): string {
    const category = pluralCategory(count);
    const english = category === 'one' ? forms.one : forms.other;
    return nls.localize(`${key}/${category}`, english, count, ...args);
}

function pluralCategory(count: number): Intl.LDMLPluralRule {
    try {
        return new Intl.PluralRules(nls.locale ?? 'en').select(count);
    } catch {
        return new Intl.PluralRules('en').select(count);
    }
}
