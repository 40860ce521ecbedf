import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogError, DialogMode, DialogProps } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { Message } from '@theia/core/lib/browser/widgets';
import { BOOTSTRAP_FIELD_LABELS, BootstrapForm, BootstrapFormField, BootstrapFormProblem, describeBootstrapProblems, validateBootstrapForm } from '../common/bootstrap-form';

/**
 * Gives the focus to a dialog's first field, where a person starts (Theia's dialogs focus their
 * accept button); false when the content has no field (yet).
 */
export function focusFirstField(content: HTMLElement): boolean {
    const first = content.querySelector<HTMLElement>('input, select, textarea');
    first?.focus();
    return first !== null;
}

/** Runs what the dialog asks for; resolves to a message to show, or undefined when it worked. */
export type DialogSubmit<T> = (value: T) => Promise<string | undefined>;

/**
 * A form dialog whose accept runs `submit` (in a service) and stays open with the message it
 * returns; it only collects input and shows outcomes.
 */
export abstract class SubmittingDialog<T> extends ReactDialog<T> {
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
            if (mode === 'open') {
                // Said on accept, it stays said (the preview run right after must not erase it) until the input changes.
                this.refused = { value, message: problem };
            }
            return problem;
        }
        if (mode === 'preview') {
            return this.refused?.value === value ? this.refused.message : '';
        }
        // Only while the service works are the fields disabled: a problem found here leaves the focus where it was.
        this.busy = true;
        this.update();
        try {
            const message = await this.submit(value);
            this.refused = message ? { value, message } : undefined;
            return message ?? '';
        } finally {
            this.busy = false;
            this.update();
        }
    }

    /** A second Enter or click while the service works does nothing. */
    protected override async accept(): Promise<void> {
        if (!this.busy) {
            await super.accept();
        }
    }

    protected changed(): void {
        this.update();
    }

    /** The first field has the focus, not the accept button (autoFocus covers a content rendered later). */
    protected override onActivateRequest(msg: Message): void {
        if (!focusFirstField(this.contentNode)) {
            super.onActivateRequest(msg);
        }
    }
}

const FIELDS: readonly { field: BootstrapFormField; id: string; type: string }[] = [
    { field: 'name', id: 'vouch-bootstrap-name', type: 'text' },
    { field: 'email', id: 'vouch-bootstrap-email', type: 'email' },
    { field: 'deviceLabel', id: 'vouch-bootstrap-device-label', type: 'text' },
    { field: 'password', id: 'vouch-bootstrap-password', type: 'password' },
    { field: 'passwordConfirmation', id: 'vouch-bootstrap-password-confirmation', type: 'password' }
];

export class CreateOrganizationDialog extends SubmittingDialog<BootstrapForm> {
    protected form: BootstrapForm = { name: '', email: '', deviceLabel: '', password: '', passwordConfirmation: '' };
    protected readonly touched = new Set<BootstrapFormField>();
    /** After a first Create, every field counts as touched: what is missing stays said until it is filled in. */
    protected attempted = false;

    constructor(protected readonly organizationId: string, submit: DialogSubmit<BootstrapForm>) {
        super({ title: nls.localize('vouch/bootstrap/title', 'Create your organization') }, submit);
        this.node.classList.add('vouch-create-organization-dialog');
        this.appendAcceptButton(nls.localize('vouch/bootstrap/create', 'Create'));
    }

    get value(): BootstrapForm {
        return this.form;
    }

    /** The problems to show now: those of the fields typed in, or all of them once Create was pressed. */
    protected shownProblems(value: BootstrapForm): readonly BootstrapFormProblem[] {
        const result = validateBootstrapForm(value);
        if (!('problems' in result)) {
            return [];
        }
        return this.attempted ? result.problems : result.problems.filter(problem => this.touched.has(problem.field));
    }

    protected check(value: BootstrapForm): string {
        return describeBootstrapProblems(this.shownProblems(value));
    }

    protected override async accept(): Promise<void> {
        if (!this.attempted) {
            this.attempted = true;
            this.update();
        }
        await super.accept();
    }

    protected render(): React.ReactNode {
        const invalid = new Set(this.shownProblems(this.form).map(problem => problem.field));
        return <div className='vouch-form'>
            <p>{nls.localize('vouch/bootstrap/intro', 'You are creating the organization {0}. You become its first Administrator.', this.organizationId)}</p>
            {FIELDS.map(({ field, id, type }, index) => <div key={field} className='vouch-form-row'>
                <label htmlFor={id}>{BOOTSTRAP_FIELD_LABELS[field]()}</label>
                <input id={id} className='theia-input' type={type} value={this.form[field]} disabled={this.busy} autoFocus={index === 0}
                    aria-invalid={invalid.has(field)} autoComplete={type === 'password' ? 'new-password' : 'off'}
                    onChange={event => {
                        this.form = { ...this.form, [field]: event.target.value };
                        this.touched.add(field);
                        this.changed();
                    }} />
            </div>)}
        </div>;
    }
}

/** What the unlock dialog collects: the password, and whether to remember it where that is offered. */
export interface UnlockAnswer {
    readonly password: string;
    readonly remember: boolean;
}

export class UnlockDialog extends SubmittingDialog<UnlockAnswer> {
    protected answer: UnlockAnswer = { password: '', remember: false };

    /** `rememberOffered`: the desktop app, with a keychain that answers, offers to remember the password. */
    constructor(protected readonly description: string, submit: DialogSubmit<UnlockAnswer>, protected readonly rememberOffered = false) {
        super({ title: nls.localize('vouch/unlock/title', 'Unlock your device') }, submit);
        this.node.classList.add('vouch-unlock-dialog');
        this.appendAcceptButton(nls.localize('vouch/unlock/unlock', 'Unlock'));
    }

    get value(): UnlockAnswer {
        return this.answer;
    }

    protected check(value: UnlockAnswer, mode: DialogMode): string {
        return value.password || mode === 'preview' ? '' : nls.localize('vouch/unlock/passwordRequired', 'Type your password');
    }

    protected render(): React.ReactNode {
        return <div className='vouch-form'>
            <p>{this.description}</p>
            <div className='vouch-form-row'>
                <label htmlFor='vouch-unlock-password'>{nls.localize('vouch/unlock/password', 'Password')}</label>
                <input id='vouch-unlock-password' className='theia-input' type='password' value={this.answer.password} disabled={this.busy} autoFocus
                    onChange={event => {
                        this.answer = { ...this.answer, password: event.target.value };
                        this.changed();
                    }} />
            </div>
            {this.rememberOffered && <div className='vouch-form-row'>
                <label htmlFor='vouch-unlock-remember'>
                    <input id='vouch-unlock-remember' className='theia-input' type='checkbox' checked={this.answer.remember} disabled={this.busy}
                        onChange={event => {
                            this.answer = { ...this.answer, remember: event.target.checked };
                            this.changed();
                        }} />
                    {nls.localize('vouch/unlock/remember', 'Remember the password in this computer\'s keychain')}
                </label>
            </div>}
        </div>;
    }
}
