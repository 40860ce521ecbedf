import { expect } from 'chai';
import { describeBootstrapProblems, validateBootstrapForm } from './bootstrap-form';

describe('validateBootstrapForm', () => {
    const form = { name: ' Alice ', email: 'Alice@Example.com', deviceLabel: 'Laptop', password: 'long enough', passwordConfirmation: 'long enough' };

    it('normalizes a valid form as the protocol does', () => {
        expect(validateBootstrapForm(form)).to.deep.equal({
            valid: { humanHandle: { label: 'Alice', email: 'alice@example.com' }, deviceLabel: 'Laptop', password: 'long enough' }
        });
    });

    it('names each field in trouble, and why', () => {
        const result = validateBootstrapForm({ name: '', email: 'nope', deviceLabel: 'x'.repeat(200), password: 'short', passwordConfirmation: 'short' });
        expect('problems' in result && result.problems).to.deep.equal([
            { field: 'name', reason: 'missing' }, { field: 'email', reason: 'invalid' }, { field: 'deviceLabel', reason: 'too-long' }, { field: 'password', reason: 'too-short' }
        ]);
    });

    it('wants the confirmation to match', () => {
        const result = validateBootstrapForm({ ...form, passwordConfirmation: 'something else' });
        expect('problems' in result && result.problems).to.deep.equal([{ field: 'passwordConfirmation', reason: 'differs' }]);
    });

    it('says at once every field an empty form is missing', () => {
        const result = validateBootstrapForm({ name: '', email: '', deviceLabel: ' ', password: '', passwordConfirmation: '' });
        expect('problems' in result && describeBootstrapProblems(result.problems))
            .to.equal('Fill in: Your name, Your email, This device, Password protecting this device');
    });
});
