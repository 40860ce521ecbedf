import { expect } from 'chai';
import { validateBootstrapForm } from './bootstrap-form';

describe('validateBootstrapForm', () => {
    const form = { name: ' Alice ', email: 'Alice@Example.com', deviceLabel: 'Laptop', password: 'long enough', passwordConfirmation: 'long enough' };

    it('normalizes a valid form as the protocol does', () => {
        expect(validateBootstrapForm(form)).to.deep.equal({
            valid: { humanHandle: { label: 'Alice', email: 'alice@example.com' }, deviceLabel: 'Laptop', password: 'long enough' }
        });
    });

    it('names each field in trouble', () => {
        const result = validateBootstrapForm({ name: '', email: 'nope', deviceLabel: ' ', password: 'short', passwordConfirmation: 'short' });
        expect('problems' in result && result.problems.map(problem => problem.field)).to.deep.equal(['name', 'email', 'deviceLabel', 'password']);
    });

    it('wants the confirmation to match', () => {
        const result = validateBootstrapForm({ ...form, passwordConfirmation: 'something else' });
        expect('problems' in result && result.problems).to.deep.equal([{ field: 'passwordConfirmation', message: 'The passwords differ' }]);
    });
});
