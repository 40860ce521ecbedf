import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { GreetingDialog } from './greeting-dialog';
import { CodePicker, OwnCode } from './greeting-parts';
import { GuestForm, GuestGreetingSession, GuestGreetingState } from './guest-greeting-session';

/** The guest's side of its greetings, rendered from its session. */
export class GuestGreetingDialog extends GreetingDialog {
    constructor(protected readonly session: GuestGreetingSession) {
        super(session.claimed.kind === 'USER'
            ? nls.localize('vouch/guest/title', 'Join {0}', session.claimed.organizationId)
            : nls.localize('vouch/guest/deviceTitle', 'Add this device to your account'), session, 'vouch-guest-greeting');
    }

    protected render(): React.ReactNode {
        const state = this.session.state;
        const claimed = this.session.claimed;
        switch (state.step) {
            case 'waiting-host':
                return <div className='vouch-guest-waiting'>
                    {state.lastEnd && <p className='vouch-greeting-ended'>{state.lastEnd}</p>}
                    <p>{claimed.kind === 'USER'
                        ? nls.localize('vouch/guest/invited', 'You are invited to join {0} as {1}.', claimed.organizationId, claimed.email)
                        : nls.localize('vouch/guest/device', 'This browser becomes a new device of {0} in {1}.', claimed.email, claimed.organizationId)}</p>
                    <p>{nls.localize('vouch/guest/waitingHost', 'Waiting to be greeted. Call one of them; they click Greet:')}</p>
                    <ul className='vouch-greeters'>
                        {claimed.greeters.map(greeter => <li key={greeter.userId} className={greeter.online ? 'online' : 'offline'}>
                            <span className={`vouch-online-marker ${greeter.online ? 'online' : 'offline'}`} />
                            {greeter.humanHandle.label} &lt;{greeter.humanHandle.email}&gt;
                            {greeter.online && <span className='vouch-invitation-waiting'>{nls.localize('vouch/guest/online', 'online')}</span>}
                        </li>)}
                    </ul>
                </div>;
            case 'pick':
                return <CodePicker prompt={nls.localize('vouch/guest/pick', '{0} reads you a code. Which one is it?', state.host)} candidates={state.candidates}
                    onPick={code => this.session.pick(code)} />;
            case 'read':
                return <OwnCode intro={nls.localize('vouch/guest/read', 'Now read this code to {0}:', state.host)} code={state.ownCode} />;
            case 'details':
                return this.renderForm(state);
            case 'enrolling':
                return <p className='vouch-greeting-status'>{nls.localize('vouch/guest/enrolling', 'Waiting for the host to confirm…')}</p>;
            case 'done':
                return <p className='vouch-greeting-done'>{nls.localize('vouch/guest/done', 'Welcome!')}</p>;
            case 'failed':
                return <p className='vouch-greeting-ended'>{state.message}</p>;
        }
    }

    protected renderForm(state: Extract<GuestGreetingState, { step: 'details' }>): React.ReactNode {
        const field = (key: keyof GuestForm, id: string, label: string, type = 'text') => <div className='vouch-form-row' key={key}>
            <label htmlFor={id}>{label}</label>
            <input id={id} className='theia-input' type={type} value={state.form[key]} autoComplete={type === 'password' ? 'new-password' : 'off'}
                onChange={event => this.session.edit({ [key]: event.target.value })} />
        </div>;
        return <div className='vouch-form vouch-guest-form'>
            <p>{nls.localize('vouch/guest/codesMatch', 'The codes match. Tell the host who you are:')}</p>
            {this.session.claimed.kind === 'USER' && field('name', 'vouch-guest-name', nls.localize('vouch/guest/name', 'Your name'))}
            {field('deviceLabel', 'vouch-guest-device', nls.localize('vouch/guest/deviceLabel', 'This device'))}
            {field('password', 'vouch-guest-password', nls.localize('vouch/guest/password', 'Password protecting this device'), 'password')}
            {field('passwordAgain', 'vouch-guest-password-again', nls.localize('vouch/guest/passwordAgain', 'Password again'), 'password')}
            {state.problem && <div className='vouch-greeting-problem'>{state.problem}</div>}
        </div>;
    }
}
