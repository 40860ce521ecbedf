import { ApplicationError } from '@theia/core/lib/common/application-error';

/**
 * The desktop app's one-person trial: an organization server of its own on this computer
 * (loopback only, SQLite in the user's config folder), started when the person asks for it on
 * first run and again at every start after that, always on the same port (the device file
 * names its server).
 */
export const DESKTOP_TRIAL_SERVER_PATH = '/services/vouch/desktop-trial-server';
export const DesktopTrialServerService = Symbol('DesktopTrialServerService');

export interface TrialServer {
    /** `http://127.0.0.1:<port>`. */
    readonly serverUrl: string;
    /** The link that creates its organization, while nobody has. */
    readonly bootstrapLink?: string;
}

export interface DesktopTrialServerService {
    /** Starts the trial server (or finds it running). */
    start(): Promise<TrialServer>;
}

export const DesktopTrialServerError = {
    NotStarted: ApplicationError.declare(-42201, (reason: string) => ({ message: `The server on this computer did not start: ${reason}`, data: { reason } }))
};
