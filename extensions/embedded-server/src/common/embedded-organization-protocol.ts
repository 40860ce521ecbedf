import { ApplicationError } from '@theia/core/lib/common/application-error';

/** RPC between the workbench and the organization server embedded in the Theia backend. */
export const EMBEDDED_ORGANIZATION_PATH = '/services/vouch/embedded-organization';
export const EmbeddedOrganizationService = Symbol('EmbeddedOrganizationService');

export interface PendingBootstrap {
    readonly organizationId: string;
    readonly bootstrapLink: string;
}

export interface EmbeddedOrganizationService {
    /** The organization the embedded server created and nobody bootstrapped yet, if any. */
    getPendingBootstrap(): Promise<PendingBootstrap | undefined>;
}

/** The embedded server failed to start; the backend log says why. */
export const EmbeddedServerNotRunning = ApplicationError.declare(-42001, (reason: string) => ({
    message: `The embedded organization server is not running: ${reason}`,
    data: { reason }
}));
