import { DeviceLabelSchema, HumanHandle, HumanHandleSchema, OrganizationIdSchema } from '@vouch/protocol';

/** What a person types to create an organization. */
export interface BootstrapForm {
    readonly name: string;
    readonly email: string;
    readonly deviceLabel: string;
    readonly password: string;
    readonly passwordConfirmation: string;
}

export type BootstrapFormField = keyof BootstrapForm;

export interface BootstrapFormProblem {
    readonly field: BootstrapFormField;
    readonly message: string;
}

export interface ValidBootstrapForm {
    readonly humanHandle: HumanHandle;
    readonly deviceLabel: string;
    readonly password: string;
}

/** The shortest password we accept to protect a device's keys. */
export const MIN_PASSWORD_LENGTH = 8;

/** Checks the form with the protocol's own schemas, so the server sees what we accepted. */
export function validateBootstrapForm(form: BootstrapForm): { valid: ValidBootstrapForm } | { problems: BootstrapFormProblem[] } {
    const problems: BootstrapFormProblem[] = [];
    const name = HumanHandleSchema.shape.label.safeParse(form.name);
    if (!name.success) {
        problems.push({ field: 'name', message: name.error.issues[0].message });
    }
    const email = HumanHandleSchema.shape.email.safeParse(form.email);
    if (!email.success) {
        problems.push({ field: 'email', message: email.error.issues[0].message });
    }
    const deviceLabel = DeviceLabelSchema.safeParse(form.deviceLabel);
    if (!deviceLabel.success) {
        problems.push({ field: 'deviceLabel', message: deviceLabel.error.issues[0].message });
    }
    if (form.password.length < MIN_PASSWORD_LENGTH) {
        problems.push({ field: 'password', message: `A password has at least ${MIN_PASSWORD_LENGTH} characters` });
    } else if (form.password !== form.passwordConfirmation) {
        problems.push({ field: 'passwordConfirmation', message: 'The passwords differ' });
    }
    if (problems.length > 0 || !name.success || !email.success || !deviceLabel.success) {
        return { problems };
    }
    return { valid: { humanHandle: { label: name.data, email: email.data }, deviceLabel: deviceLabel.data, password: form.password } };
}

export function isValidOrganizationId(value: string): boolean {
    return OrganizationIdSchema.safeParse(value).success;
}
