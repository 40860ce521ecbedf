import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { USER_PROFILES, UserProfile } from '@vouch/protocol';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { GreetingDialog } from './greeting-dialog';
import { CodePicker, OwnCode } from './greeting-parts';
import { HostGreetingSession, HostGreetingState } from './host-greeting-session';

/** The host's side of a greeting, rendered from its session; Greet again after a failed attempt. */
export class HostGreetingDialog extends GreetingDialog {
    constructor(protected readonly session: HostGreetingSession) {
        super(session.invitation.kind === 'USER'
            ? nls.localize('vouch/greeting/hostTitle', 'Greet {0}', session.invitation.email)
            : nls.localize('vouch/greeting/hostDeviceTitle', 'Add a device'), session, 'vouch-host-greeting');
    }

    protected render(): React.ReactNode {
        const state = this.session.state;
        const who = this.session.invitation.email;
        switch (state.step) {
            case 'starting':
            case 'waiting-guest':
                return <p className='vouch-greeting-status'>{nls.localize('vouch/greeting/waitingGuest', 'Waiting for {0} to join the greeting…', who)}</p>;
            case 'read':
                return <OwnCode intro={nls.localize('vouch/greeting/hostRead', 'Read this code to {0}, who picks it on their screen:', who)} code={state.ownCode} />;
            case 'pick':
                return <CodePicker prompt={nls.localize('vouch/greeting/hostPick', 'Which code does {0} read to you?', who)} candidates={state.candidates}
                    onPick={code => this.session.pick(code)} />;
            case 'waiting-details':
                return <p className='vouch-greeting-status'>{nls.localize('vouch/greeting/waitingDetails', 'Waiting for {0} to enter their details…', who)}</p>;
            case 'confirm':
                return this.renderConfirm(state);
            case 'enrolling':
                return <p className='vouch-greeting-status'>{nls.localize('vouch/greeting/enrolling', 'Enrolling…')}</p>;
            case 'done':
                return <p className='vouch-greeting-done'>{this.session.invitation.kind === 'USER'
                    ? nls.localize('vouch/greeting/hostDone', '{0} joined the organization.', who)
                    : nls.localize('vouch/greeting/hostDeviceDone', 'The new device is enrolled.')}</p>;
            case 'ended':
                return <div>
                    <p className='vouch-greeting-ended'>{state.message}</p>
                    <p>{nls.localize('vouch/greeting/hostEndedNext', 'The invitation is still pending: greet again when {0} is ready.', who)}</p>
                </div>;
        }
    }

    protected renderConfirm(state: Extract<HostGreetingState, { step: 'confirm' }>): React.ReactNode {
        const details = state.details;
        return <div className='vouch-form vouch-greeting-confirm'>
            <p>{details.kind === 'user'
                ? nls.localize('vouch/greeting/confirmUser', 'Check who you are adding. Correct the name if needed and choose the profile.')
                : nls.localize('vouch/greeting/confirmDevice', 'Add the device "{0}" to your account?', details.deviceLabel)}</p>
            {details.kind === 'user' && <>
                <div className='vouch-form-row'>
                    <label htmlFor='vouch-greeting-email'>{nls.localize('vouch/greeting/email', 'Email')}</label>
                    <input id='vouch-greeting-email' className='theia-input' value={this.session.invitation.email} readOnly />
                </div>
                <div className='vouch-form-row'>
                    <label htmlFor='vouch-greeting-name'>{nls.localize('vouch/greeting/name', 'Name')}</label>
                    <input id='vouch-greeting-name' className='theia-input' value={state.label} onChange={event => this.session.edit({ label: event.target.value })} />
                </div>
                <div className='vouch-form-row'>
                    <label htmlFor='vouch-greeting-device'>{nls.localize('vouch/greeting/device', 'Device')}</label>
                    <input id='vouch-greeting-device' className='theia-input' value={details.deviceLabel} readOnly />
                </div>
                <div className='vouch-form-row'>
                    <label htmlFor='vouch-greeting-profile'>{nls.localize('vouch/greeting/profile', 'Profile')}</label>
                    <select id='vouch-greeting-profile' className='theia-select' value={state.profile}
                        onChange={event => this.session.edit({ profile: event.target.value as UserProfile })}>
                        {USER_PROFILES.map(profile => <option key={profile} value={profile}>{PROFILE_LABELS[profile]()}</option>)}
                    </select>
                </div>
            </>}
            {state.problem && <div className='vouch-greeting-problem'>{state.problem}</div>}
        </div>;
    }
}
