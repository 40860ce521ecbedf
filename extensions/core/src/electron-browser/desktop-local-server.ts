/**
 * An organization server the desktop app can run on this computer for a one-person trial
 * (`@vouch/embedded-server` binds one); the first-run question offers it when bound.
 */
export const DesktopLocalServer = Symbol('DesktopLocalServer');

export interface DesktopLocalServer {
    /** Starts it (or finds it running): its address, and the link that creates its organization while nobody has. */
    start(): Promise<{ readonly serverUrl: string; readonly bootstrapLink?: string }>;
}
