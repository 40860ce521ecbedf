import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogError, DialogMode, DialogProps } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { BootstrapForm, BootstrapFormField, validateBootstrapForm } from '../common/bootstrap-form';

/** Runs what the dialog asks for; resolves to a message to show, or undefined when it worked. */
export type DialogSubmit<T> = (value: T) => Promise<string | undefined>;

/**
 * A form dialog whose accept runs `submit` (in a service) and stays open with the message it
 * returns; it only collects input and shows outcomes.
 */
abstract class SubmittingDialog<T> extends ReactDialog<T> {
    protected busy = false;

    constructor(props: DialogProps, protected readonly submit: DialogSubmit<T>) {
        super(props);
        this.appendCloseButton(nls.localizeByDefault('Cancel'));
    }

    protected abstract check(value: T, mode: DialogMode): string;

    /** The last refusal stays on screen until the input changes. */
    protected refused?: { readonly value: T; readonly message: string };

    protected override async isValid(value: T, mode: DialogMode): Promise<DialogError> {
        const problem = this.check(value, mode);
        if (problem) {
            return problem;
        }
        if (mode === 'preview') {
            return this.refused?.value === value ? this.refused.message : '';
        }
        const message = await this.submit(value);
        this.refused = message ? { value, message } : undefined;
        return message ?? '';
    }

    protected override async accept(): Promise<void> {
        if (this.busy) {
            return;
        }
        this.busy = true;
        this.update();
        try {
            await super.accept();
        } finally {
            this.busy = false;
            this.update();
        }
    }

    protected changed(): void {
        this.update();
    }
}

const FIELDS: readonly { field: BootstrapFormField; id: string; label: () => string; type: string }[] = [
    { field: 'name', id: 'vouch-bootstrap-name', label: () => nls.localize('vouch/bootstrap/name', 'Your name'), type: 'text' },
    { field: 'email', id: 'vouch-bootstrap-email', label: () => nls.localize('vouch/bootstrap/email', 'Your email'), type: 'email' },
    { field: 'deviceLabel', id: 'vouch-bootstrap-device-label', label: () => nls.localize('vouch/bootstrap/deviceLabel', 'This device'), type: 'text' },
    { field: 'password', id: 'vouch-bootstrap-password', label: () => nls.localize('vouch/bootstrap/password', 'Password protecting this device'), type: 'password' },
    { field: 'passwordConfirmation', id: 'vouch-bootstrap-password-confirmation', label: () => nls.localize('vouch/bootstrap/passwordConfirmation', 'Password again'), type: 'password' }
];

export class CreateOrganizationDialog extends SubmittingDialog<BootstrapForm> {
    protected form: BootstrapForm = { name: '', email: '', deviceLabel: '', password: '', passwordConfirmation: '' };
    protected readonly touched = new Set<BootstrapFormField>();

    constructor(protected readonly organizationId: string, submit: DialogSubmit<BootstrapForm>) {
        super({ title: nls.localize('vouch/bootstrap/title', 'Create your organization') }, submit);
        this.node.classList.add('vouch-create-organization-dialog');
        this.appendAcceptButton(nls.localize('vouch/bootstrap/create', 'Create'));
    }

    get value(): BootstrapForm {
        return this.form;
    }

    protected check(value: BootstrapForm, mode: DialogMode): string {
        const result = validateBootstrapForm(value);
        if (!('problems' in result)) {
            return '';
        }
        const shown = mode === 'open' ? result.problems : result.problems.filter(problem => this.touched.has(problem.field));
        return shown[0]?.message ?? (mode === 'preview' ? '' : result.problems[0].message);
    }

    protected render(): React.ReactNode {
        return <div className='vouch-form'>
            <p>{nls.localize('vouch/bootstrap/intro', 'You are creating the organization {0}. You become its first Administrator.', this.organizationId)}</p>
            {FIELDS.map(({ field, id, label, type }) => <div key={field} className='vouch-form-row'>
                <label htmlFor={id}>{label()}</label>
                <input id={id} className='theia-input' type={type} value={this.form[field]} disabled={this.busy}
                    autoComplete={type === 'password' ? 'new-password' : 'off'}
                    onChange={event => {
                        this.form = { ...this.form, [field]: event.target.value };
                        this.touched.add(field);
                        this.changed();
                    }} />
            </div>)}
        </div>;
    }
}

export class UnlockDialog extends SubmittingDialog<string> {
    protected password = '';

    constructor(protected readonly description: string, submit: DialogSubmit<string>) {
        super({ title: nls.localize('vouch/unlock/title', 'Unlock your device') }, submit);
        this.node.classList.add('vouch-unlock-dialog');
        this.appendAcceptButton(nls.localize('vouch/unlock/unlock', 'Unlock'));
    }

    get value(): string {
        return this.password;
    }

    protected check(value: string, mode: DialogMode): string {
        return value || mode === 'preview' ? '' : nls.localize('vouch/unlock/passwordRequired', 'Type your password');
    }

    protected render(): React.ReactNode {
        return <div className='vouch-form'>
            <p>{this.description}</p>
            <div className='vouch-form-row'>
                <label htmlFor='vouch-unlock-password'>{nls.localize('vouch/unlock/password', 'Password')}</label>
                <input id='vouch-unlock-password' className='theia-input' type='password' value={this.password} disabled={this.busy} autoFocus
                    onChange={event => {
                        this.password = event.target.value;
                        this.changed();
                    }} />
            </div>
        </div>;
    }
}
