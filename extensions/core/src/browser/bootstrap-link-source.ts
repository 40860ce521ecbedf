import { BootstrapLink } from '@vouch/protocol';

/**
 * Knows an organization that waits for its first Administrator without anyone following its
 * link: the organization server embedded in the browser app does (`@vouch/embedded-server`).
 * A workbench with no source offers "Create your organization" only to someone who opened a
 * bootstrap link.
 */
export const BootstrapLinkSource = Symbol('BootstrapLinkSource');

export interface BootstrapLinkSource {
    /** The bootstrap link of an organization this source holds open, if any. Never rejects. */
    pendingBootstrapLink(): Promise<BootstrapLink | undefined>;
}
