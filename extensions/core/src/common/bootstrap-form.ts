import { nls } from '@theia/core/lib/common/nls';
import { DeviceLabelSchema, HumanHandle, HumanHandleSchema, OrganizationIdSchema } from '@vouch/protocol';
import { z } from 'zod';

/** What a person types to create an organization. */
export interface BootstrapForm {
    readonly name: string;
    readonly email: string;
    readonly deviceLabel: string;
    readonly password: string;
    readonly passwordConfirmation: string;
}

export type BootstrapFormField = keyof BootstrapForm;

/** What is wrong with a field: the dialog says it in words and marks the field. */
export type BootstrapFormReason = 'missing' | 'invalid' | 'too-long' | 'too-short' | 'differs';

export interface BootstrapFormProblem {
    readonly field: BootstrapFormField;
    readonly reason: BootstrapFormReason;
}

export interface ValidBootstrapForm {
    readonly humanHandle: HumanHandle;
    readonly deviceLabel: string;
    readonly password: string;
}

/** The shortest password we accept to protect a device's keys. */
export const MIN_PASSWORD_LENGTH = 8;

/** A text field checked by a protocol schema: missing when blank, otherwise the schema decides. */
function checkText(field: BootstrapFormField, value: string, schema: z.ZodType<string>, problems: BootstrapFormProblem[]): string | undefined {
    if (value.trim() === '') {
        problems.push({ field, reason: 'missing' });
        return undefined;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
        problems.push({ field, reason: parsed.error.issues[0].code === 'too_big' ? 'too-long' : 'invalid' });
        return undefined;
    }
    return parsed.data;
}

/** Checks the form with the protocol's own schemas, so the server sees what we accepted. */
export function validateBootstrapForm(form: BootstrapForm): { valid: ValidBootstrapForm } | { problems: BootstrapFormProblem[] } {
    const problems: BootstrapFormProblem[] = [];
    const name = checkText('name', form.name, HumanHandleSchema.shape.label, problems);
    const email = checkText('email', form.email, HumanHandleSchema.shape.email, problems);
    const deviceLabel = checkText('deviceLabel', form.deviceLabel, DeviceLabelSchema, problems);
    if (form.password === '') {
        problems.push({ field: 'password', reason: 'missing' });
    } else if (form.password.length < MIN_PASSWORD_LENGTH) {
        problems.push({ field: 'password', reason: 'too-short' });
    } else if (form.password !== form.passwordConfirmation) {
        problems.push({ field: 'passwordConfirmation', reason: form.passwordConfirmation === '' ? 'missing' : 'differs' });
    }
    if (problems.length > 0 || name === undefined || email === undefined || deviceLabel === undefined) {
        return { problems };
    }
    return { valid: { humanHandle: { label: name, email }, deviceLabel, password: form.password } };
}

export const BOOTSTRAP_FIELD_LABELS: Record<BootstrapFormField, () => string> = {
    name: () => nls.localize('vouch/bootstrap/name', 'Your name'),
    email: () => nls.localize('vouch/bootstrap/email', 'Your email'),
    deviceLabel: () => nls.localize('vouch/bootstrap/deviceLabel', 'This device'),
    password: () => nls.localize('vouch/bootstrap/password', 'Password protecting this device'),
    passwordConfirmation: () => nls.localize('vouch/bootstrap/passwordConfirmation', 'Password again')
};

/** One problem in words. */
export function describeBootstrapProblem(problem: BootstrapFormProblem): string {
    const label = BOOTSTRAP_FIELD_LABELS[problem.field]();
    switch (problem.reason) {
        case 'missing': return nls.localize('vouch/bootstrap/missing', 'Fill in: {0}', label);
        case 'invalid': return problem.field === 'email'
            ? nls.localize('vouch/bootstrap/notAnEmail', '{0}: not an email address', label)
            : nls.localize('vouch/bootstrap/invalidField', '{0}: not valid', label);
        case 'too-long': return nls.localize('vouch/bootstrap/tooLong', '{0}: too long', label);
        case 'too-short': return nls.localize('vouch/bootstrap/tooShort', 'A password has at least {0} characters', MIN_PASSWORD_LENGTH);
        case 'differs': return nls.localize('vouch/bootstrap/differs', 'The passwords differ');
    }
}

/**
 * What the person must do, in one line: every missing field named at once (an empty form says
 * what it needs, not one field at a time), otherwise the first problem.
 */
export function describeBootstrapProblems(problems: readonly BootstrapFormProblem[]): string {
    const missing = problems.filter(problem => problem.reason === 'missing').map(problem => BOOTSTRAP_FIELD_LABELS[problem.field]());
    if (missing.length > 1) {
        return nls.localize('vouch/bootstrap/missing', 'Fill in: {0}', missing.join(', '));
    }
    return problems[0] ? describeBootstrapProblem(problems[0]) : '';
}

export function isValidOrganizationId(value: string): boolean {
    return OrganizationIdSchema.safeParse(value).success;
}
