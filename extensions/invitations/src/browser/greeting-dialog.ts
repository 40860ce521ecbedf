import { Event, nls } from '@theia/core';
import { DialogError } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { Message } from '@theia/core/lib/browser/widgets';

/** What a greeting dialog shows and runs: the session owns the state and the rules. */
export interface GreetingDialogSession {
    /** The dialog's primary button in the current state (Confirm, Send, Greet again), if any; `blocked` says why it cannot run yet. */
    readonly primaryAction: { readonly label: string; readonly blocked?: string; run(): void } | undefined;
    readonly onDidChange: Event<unknown>;
    /** The person closed the dialog (Escape, Close). */
    close(): void;
}

/**
 * Either side's greeting dialog: its content follows the session; its actions are the dialog's
 * own button row — Close, and a primary button (Enter) whose label and presence follow the step.
 */
export abstract class GreetingDialog extends ReactDialog<void> {
    constructor(title: string, protected readonly greeting: GreetingDialogSession, className: string) {
        super({ title });
        this.node.classList.add('vouch-greeting-dialog', className);
        this.appendCloseButton(nls.localizeByDefault('Close'));
        this.appendAcceptButton('').classList.add('vouch-greeting-primary');
        this.toDispose.push(greeting.onDidChange(() => this.update()));
    }

    get value(): void {
        return undefined;
    }

    /** The primary button and Enter run the step's action; they never close the dialog mid-exchange. */
    protected override async accept(): Promise<void> {
        const action = this.greeting.primaryAction;
        if (action && !action.blocked) {
            action.run();
        }
    }

    protected override isValid(): DialogError {
        return this.greeting.primaryAction?.blocked ?? '';
    }

    protected override onUpdateRequest(msg: Message): void {
        super.onUpdateRequest(msg);
        const action = this.greeting.primaryAction;
        if (this.acceptButton) {
            this.acceptButton.textContent = action?.label ?? '';
            this.acceptButton.style.display = action ? '' : 'none';
        }
    }

    override close(): void {
        this.greeting.close();
        super.close();
    }
}
