import { nls } from '@theia/core';
import { HumanHandleSchema, JoinMethod } from '@vouch/protocol';
import { JoinForm } from './pending-join';

export interface PkiFile {
    readonly name: string;
    readonly bytes: Uint8Array;
}

/** What one submission takes away from the form: the request's fields, and the proof's files and password. */
export interface JoinSubmission {
    readonly form: JoinForm;
    readonly method: JoinMethod;
    readonly pki: { readonly files: readonly PkiFile[]; readonly password: string };
    /** Zeroes the file bytes (a PKCS#12 holds the private key) once the request is signed. */
    dispose(): void;
}

/**
 * What the requester types and chooses in the join dialog. Passwords and the certificate's
 * files leave it the moment they are submitted, so nothing secret stays in memory while the
 * request waits for an Administrator (which may take days, in an open tab).
 */
export class JoinRequestForm {
    name = '';
    email = '';
    deviceLabel: string;
    password = '';
    confirm = '';
    replace = false;
    method?: JoinMethod;
    pkiFiles: readonly PkiFile[] = [];
    pkiPassword = '';
    /** The password that opens the request's keys once it is accepted. */
    finalizePassword = '';
    /** Changes when chosen files are dropped, so the file picker shows none either. */
    filesGeneration = 0;

    constructor(deviceLabel: string, method?: JoinMethod) {
        this.deviceLabel = deviceLabel;
        this.method = method;
    }

    /** Why the form cannot be sent yet, in words; undefined when it can. */
    problem(): string | undefined {
        if (!HumanHandleSchema.safeParse({ email: this.email, label: this.name }).success) {
            return nls.localize('vouch/join/badIdentity', 'Enter your name and a valid email address');
        }
        if (!this.deviceLabel.trim()) {
            return nls.localize('vouch/join/badDevice', 'Enter a device label');
        }
        if (this.password.length < 8 || this.password !== this.confirm) {
            return nls.localize('vouch/join/badPassword', 'The password needs at least 8 characters, typed twice the same');
        }
        if (this.method === 'pki' && this.pkiFiles.length === 0) {
            return nls.localize('vouch/join/noFiles', 'Choose your certificate file(s)');
        }
        return undefined;
    }

    /** Hands over what sending the request needs and keeps no secret of it; undefined without a method. */
    takeSubmission(): JoinSubmission | undefined {
        const method = this.method;
        if (!method) {
            return undefined;
        }
        const files = this.pkiFiles;
        const submission: JoinSubmission = {
            form: { name: this.name, email: this.email, deviceLabel: this.deviceLabel, password: this.password, replace: this.replace },
            method,
            pki: { files, password: this.pkiPassword },
            dispose: () => files.forEach(file => file.bytes.fill(0))
        };
        this.password = '';
        this.confirm = '';
        this.pkiPassword = '';
        this.pkiFiles = [];
        this.filesGeneration++;
        return submission;
    }

    takeFinalizePassword(): string {
        const password = this.finalizePassword;
        this.finalizePassword = '';
        return password;
    }
}
