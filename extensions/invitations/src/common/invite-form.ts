import { HumanHandleSchema, UserProfile } from '@vouch/protocol';

/** One address read from what was typed or pasted, with the name found beside it. */
export interface ParsedInvitee {
    /** Lowercase. */
    readonly email: string;
    readonly name?: string;
}

export interface ParsedAddresses {
    /** Valid addresses, each once, in the order typed; with a name where one stood beside it. */
    readonly invitees: readonly ParsedInvitee[];
    /** What could not be read as an address, as typed. */
    readonly invalid: readonly string[];
    /** A first line taken for a spreadsheet's header row, and left out. */
    readonly header?: string;
}

/** Words a header cell uses for the address column. */
const ADDRESS_HEADER = /e-?mail|mail|address|adresse|courriel|correo/i;

function addressOf(text: string): string | undefined {
    const parsed = HumanHandleSchema.shape.email.safeParse(text.replace(/^mailto:/i, ''));
    return parsed.success ? parsed.data : undefined;
}

function nameOf(text: string): string | undefined {
    const parsed = HumanHandleSchema.shape.label.safeParse(text.replace(/^["']|["']$/g, ''));
    return parsed.success ? parsed.data : undefined;
}

/** A pasted spreadsheet row's cells are tab-separated; a typed list uses commas, semicolons or spaces. */
function cellsOf(line: string): { cells: string[]; spreadsheet: boolean } {
    const spreadsheet = line.includes('\t');
    return { cells: line.split(spreadsheet ? '\t' : /[,;]/).map(cell => cell.trim()).filter(cell => cell.length > 0), spreadsheet };
}

/**
 * A first line is a header when it holds no address while later lines do, and it has several
 * cells or names the address column ("Name ⇥ Email", "E-mail").
 */
function isHeader(line: string, rest: readonly string[]): boolean {
    if (line.includes('@') || !rest.some(other => other.includes('@'))) {
        return false;
    }
    const { cells } = cellsOf(line);
    return cells.length > 1 || ADDRESS_HEADER.test(line);
}

/**
 * Reads the addresses an Administrator typed or pasted: one per line (a column pasted from a
 * spreadsheet), or separated by commas, semicolons or spaces; `Name <address>` keeps the name. A
 * spreadsheet selection of several columns (cells separated by tabs) gives each row's address,
 * and the row's other cells as the person's name; its header row is left out.
 */
export function parseAddresses(text: string): ParsedAddresses {
    const invitees: ParsedInvitee[] = [];
    const invalid: string[] = [];
    const add = (email: string, name: string | undefined) => {
        const known = invitees.findIndex(invitee => invitee.email === email);
        if (known < 0) {
            invitees.push(name ? { email, name } : { email });
        } else if (name && !invitees[known].name) {
            invitees[known] = { email, name };
        }
    };
    const lines = text.split(/\r\n|\r|\n/).filter(line => line.trim().length > 0);
    const header = lines.length > 0 && isHeader(lines[0], lines.slice(1)) ? lines[0].trim() : undefined;
    for (const line of header ? lines.slice(1) : lines) {
        const { cells, spreadsheet } = cellsOf(line);
        const emails: string[] = [];
        const others: string[] = [];
        for (const cell of cells) {
            const bracketed = /^(.*)<([^<>]+)>\s*$/.exec(cell);
            if (bracketed) {
                const email = addressOf(bracketed[2].trim());
                if (email) {
                    add(email, nameOf(bracketed[1].trim()));
                } else {
                    invalid.push(bracketed[2].trim());
                }
                continue;
            }
            const whole = addressOf(cell);
            if (whole) {
                emails.push(whole);
            } else if (spreadsheet && !cell.includes('@')) {
                others.push(cell);
            } else {
                // A typed list: every word must be an address.
                for (const word of cell.split(/[\s,;]+/)) {
                    const email = addressOf(word);
                    if (email) { emails.push(email); } else { invalid.push(word); }
                }
            }
        }
        // A row of one address: its other cells are the person's name. Several addresses: no name is theirs alone.
        const name = emails.length === 1 && others.length > 0 ? nameOf(others.join(' ')) : undefined;
        if (emails.length === 0) {
            invalid.push(...others);
        }
        emails.forEach(email => add(email, name));
    }
    return { invitees, invalid, ...(header ? { header } : {}) };
}

export interface Invitee {
    readonly email: string;
    readonly name?: string;
    readonly profile?: UserProfile;
}

/** The invitees to send: each address once, with its name and the profile proposed for it (if any). */
export function invitees(parsed: ParsedAddresses, profiles: Readonly<Record<string, UserProfile | undefined>>): Invitee[] {
    return parsed.invitees.map(({ email, name }) => ({ email, ...(name ? { name } : {}), ...(profiles[email] ? { profile: profiles[email] } : {}) }));
}
