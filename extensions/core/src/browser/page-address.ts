import { injectable } from '@theia/core/shared/inversify';

/**
 * The browser page's own address: the one place that reads or changes `window.location`. The
 * link feeder takes the link the page was opened on, the server location falls back to the
 * page's origin, and a requester leaves for an identity provider from here. The desktop app,
 * whose links come from the operating system, binds its own.
 */
@injectable()
export class PageAddress {
    get href(): string {
        return window.location.href;
    }

    get origin(): string {
        return window.location.origin;
    }

    /** Shows another address for this page without loading it (nothing is added to the history). */
    replace(address: string): void {
        window.history.replaceState(window.history.state, '', address);
    }

    /** Leaves the workbench for another page, e.g. an identity provider that sends the browser back with a link. */
    leaveFor(address: string): void {
        window.location.assign(address);
    }
}
