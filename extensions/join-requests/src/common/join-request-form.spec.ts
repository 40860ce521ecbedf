import { expect } from 'chai';
import { JoinRequestForm } from './join-request-form';

describe('JoinRequestForm', () => {
    function filled(): JoinRequestForm {
        const form = new JoinRequestForm('Laptop browser', 'pki');
        form.name = 'Eli Example';
        form.email = 'eli@example.com';
        form.password = 'device password';
        form.confirm = 'device password';
        form.pkiFiles = [{ name: 'eli.p12', bytes: new Uint8Array([1, 2, 3, 4]) }];
        form.pkiPassword = 'p12 password';
        return form;
    }

    it('says what is missing before anything is sent', () => {
        const form = filled();
        expect(form.problem()).to.equal(undefined);
        form.confirm = 'another password';
        expect(form.problem()).to.contain('typed twice the same');
        form.confirm = form.password;
        form.pkiFiles = [];
        expect(form.problem()).to.contain('certificate file');
        form.method = 'oidc';
        expect(form.problem()).to.equal(undefined, 'a sign-in needs no file');
    });

    it('keeps no password nor certificate file once submitted, while the request waits', () => {
        const form = filled();
        const picker = form.filesGeneration;
        const submission = form.takeSubmission()!;
        expect(submission.form).to.deep.equal({ name: 'Eli Example', email: 'eli@example.com', deviceLabel: 'Laptop browser', password: 'device password', replace: false });
        expect(submission.pki.password).to.equal('p12 password');
        expect(submission.pki.files.map(file => file.name)).to.deep.equal(['eli.p12']);

        expect([form.password, form.confirm, form.pkiPassword]).to.deep.equal(['', '', '']);
        expect(form.pkiFiles).to.deep.equal([]);
        expect(form.filesGeneration, 'the file picker is emptied too').to.not.equal(picker);
        expect([form.name, form.email, form.deviceLabel]).to.deep.equal(['Eli Example', 'eli@example.com', 'Laptop browser'], 'what is not secret stays for another try');

        const bytes = submission.pki.files[0].bytes;
        submission.dispose();
        expect([...bytes]).to.deep.equal([0, 0, 0, 0], 'the PKCS#12 bytes are zeroed once signed');
    });

    it('gives the password that finishes the device once, then forgets it', () => {
        const form = filled();
        form.finalizePassword = 'device password';
        expect(form.takeFinalizePassword()).to.equal('device password');
        expect(form.finalizePassword).to.equal('');
    });
});
