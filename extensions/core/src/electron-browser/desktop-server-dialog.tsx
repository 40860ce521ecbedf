import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogMode } from '@theia/core/lib/browser/dialogs';
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

    constructor(submit: DialogSubmit<string>) {
        super({ title: nls.localize('vouch/desktop/serverTitle', 'Connect to your organization') }, submit);
        this.node.classList.add('vouch-desktop-server-dialog');
        this.appendAcceptButton(nls.localize('vouch/desktop/serverContinue', 'Continue'));
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
