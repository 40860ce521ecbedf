import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogMode } from '@theia/core/lib/browser/dialogs';
import { Message } from '@theia/core/lib/browser/widgets';
import { DialogSubmit, SubmittingDialog } from '../browser/vouch-dialogs';
import { readServerAnswer, ServerAnswer } from '../common/desktop-server-answer';

export function describeServerAnswerProblem(answer: ServerAnswer): string {
    if (answer.kind !== 'invalid') {
        return '';
    }
    switch (answer.problem) {
        case 'empty': return nls.localize('vouch/desktop/serverEmpty', 'Type the address of your organization\'s server, or paste a link you received');
        case 'broken-link': return nls.localize('vouch/links/malformed', 'This Vouch link is incomplete or damaged. Copy the whole link again from where you received it.');
        case 'not-an-address': return nls.localize('vouch/desktop/serverNotAnAddress', 'This is not a server address: type it as vouch.example.org or https://vouch.example.org');
    }
}

/** The desktop app's first question: where is the organization's server (or which link did you receive)? */
export class DesktopServerDialog extends SubmittingDialog<string> {
    protected typed = '';

    protected readonly localButton?: HTMLButtonElement;

    /** `tryLocally`: offered when the app can run a server on this computer for a one-person trial. */
    constructor(submit: DialogSubmit<string>, protected readonly tryLocally?: () => void) {
        super({ title: nls.localize('vouch/desktop/serverTitle', 'Connect to your organization') }, submit);
        this.node.classList.add('vouch-desktop-server-dialog');
        if (tryLocally) {
            this.localButton = this.appendButton(nls.localize('vouch/desktop/tryLocally', 'Try Alone on This Computer'), false);
            this.localButton.classList.add('vouch-desktop-try-locally');
        }
        this.appendAcceptButton(nls.localize('vouch/desktop/serverContinue', 'Continue'));
    }

    protected override onAfterAttach(msg: Message): void {
        super.onAfterAttach(msg);
        const button = this.localButton;
        const tryLocally = this.tryLocally;
        if (button && tryLocally) {
            this.addAction(button, () => {
                this.close();
                tryLocally();
            }, 'click');
        }
    }

    get value(): string {
        return this.typed;
    }

    protected check(value: string, mode: DialogMode): string {
        return mode === 'preview' && !value.trim() ? '' : describeServerAnswerProblem(readServerAnswer(value));
    }

    protected render(): React.ReactNode {
        return <div className='vouch-form'>
            <p>{nls.localize('vouch/desktop/serverIntro',
                'Type the address of your organization\'s server, or paste the link you received (an invitation, a join request link, or the link that creates your organization). It is kept in your settings as {0}.',
                'vouch.server.url')}</p>
            {this.tryLocally && <p>{nls.localize('vouch/desktop/tryLocallyIntro',
                'Or try Vouch alone: this computer runs an organization server of its own (only this computer can reach it; its data stays in your config folder).')}</p>}
            <div className='vouch-form-row'>
                <label htmlFor='vouch-desktop-server'>{nls.localize('vouch/desktop/serverLabel', 'Server address or link')}</label>
                <input id='vouch-desktop-server' className='theia-input' type='text' value={this.typed} disabled={this.busy} autoFocus
                    placeholder='vouch.example.org'
                    onChange={event => {
                        this.typed = event.target.value;
                        this.changed();
                    }} />
            </div>
        </div>;
    }
}
