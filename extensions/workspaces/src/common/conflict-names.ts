/**
 * The name of the copy that keeps someone's version of a file when another member changed it
 * first: "notes (conflicting copy by Alice 2026-12-02 15-04).txt" — whose edit it holds and when,
 * beside the original, with its extension kept so it opens the same way.
 */
export function conflictCopyName(name: string, author: string, at: Date): string {
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    const two = (n: number) => String(n).padStart(2, '0');
    const when = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}-${two(at.getMinutes())}`;
    // A name never holds a separator; a long one is cut so the copy's name stays a valid name.
    const who = [...author].map(c => c === '/' || c === '\\' || c === String.fromCharCode(0) ? '-' : c).join('').slice(0, 64);
    const suffix = ` (conflicting copy by ${who} ${when})`;
    return `${stem.slice(0, Math.max(1, 255 - suffix.length - extension.length - 4))}${suffix}${extension}`;
}

/** `name`, or "name 2", "name 3"… (before the extension) when a sibling holds it already. */
export function unusedName(name: string, taken: (candidate: string) => boolean): string {
    if (!taken(name)) {
        return name;
    }
    const dot = name.lastIndexOf('.');
    const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 2; n < 10_000; n++) {
        const candidate = `${stem} ${n}${extension}`;
        if (!taken(candidate)) {
            return candidate;
        }
    }
    throw new Error(`No free name near ${name}`);
}
