import { HumanHandleSchema, UserProfile } from '@vouch/protocol';

export interface ParsedAddresses {
    /** Valid addresses, lowercase, each once, in the order typed. */
    readonly emails: readonly string[];
    /** What could not be read as an address, as typed. */
    readonly invalid: readonly string[];
}

/**
 * Reads the addresses an Administrator typed or pasted: one per line (a column pasted from a
 * spreadsheet), or separated by commas, semicolons or spaces; `Name <address>` keeps the address.
 */
export function parseAddresses(text: string): ParsedAddresses {
    const emails: string[] = [];
    const invalid: string[] = [];
    for (const raw of text.split(/[\n\r,;\t]+/)) {
        const piece = raw.trim();
        if (!piece) { continue; }
        const bracketed = /<([^<>]+)>\s*$/.exec(piece);
        const candidates = bracketed ? [bracketed[1]] : piece.split(/\s+/);
        for (const candidate of candidates) {
            const parsed = HumanHandleSchema.shape.email.safeParse(candidate.replace(/^mailto:/i, ''));
            if (parsed.success) {
                if (!emails.includes(parsed.data)) { emails.push(parsed.data); }
            } else {
                invalid.push(candidate);
            }
        }
    }
    return { emails, invalid };
}

export interface Invitee {
    readonly email: string;
    readonly profile?: UserProfile;
}

/** The invitees to send: each address once, with the profile proposed for it (if any). */
export function invitees(parsed: ParsedAddresses, profiles: Readonly<Record<string, UserProfile | undefined>>): Invitee[] {
    return parsed.emails.map(email => profiles[email] ? { email, profile: profiles[email] } : { email });
}
