import * as React from '@theia/core/shared/react';
import { Disposable } from '@theia/core';
import { ProgressBarFactory } from '@theia/core/lib/browser/progress-bar-factory';

/**
 * Theia's progress bar at the top of a view, for a ReactWidget that is not inside a view
 * container (those get one from `progressLocationId`): loads reported with
 * `ProgressService.withProgress('', locationId, …)` show here, as the explorer's do.
 */
export class ViewProgress extends React.Component<{ readonly factory: ProgressBarFactory; readonly locationId: string }> {
    protected bar?: Disposable;

    /** React leaves the children of this empty element alone, so the bar lives in it. */
    protected readonly attach = (element: HTMLDivElement | null): void => {
        this.bar?.dispose();
        this.bar = element ? this.props.factory({ container: element, insertMode: 'append', locationId: this.props.locationId }) : undefined;
    };

    override render(): React.ReactNode {
        return <div className='vouch-view-progress' ref={this.attach} />;
    }
}
