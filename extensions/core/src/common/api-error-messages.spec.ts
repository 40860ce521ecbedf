import { expect } from 'chai';
import { API_ERROR_CODES, AUTH_ERROR_CODES } from '@vouch/protocol';
import { describeApiError, describeRefusalParts } from './api-error-messages';

describe('describeApiError', () => {
    it('has words of its own for every code a reply or a handshake can carry, and keeps the server\'s as detail', () => {
        const unknown = describeRefusalParts({ code: 'SOMETHING_NEW', message: 'x' }).summary;
        const summaries = new Set<string>();
        for (const code of [...API_ERROR_CODES, ...AUTH_ERROR_CODES]) {
            const parts = describeRefusalParts({ code, message: `server words for ${code}` });
            expect(parts.summary, code).not.to.equal(unknown);
            expect(parts.detail).to.equal(`server words for ${code}`);
            summaries.add(parts.summary);
        }
        // Two codes share words only where they mean the same thing to a person (an email already taken).
        expect(summaries.size).to.be.greaterThan(API_ERROR_CODES.length + AUTH_ERROR_CODES.length - 3);
    });

    it('reads as one line: the summary, then the server\'s words', () => {
        expect(describeApiError({ code: 'NOT_ALLOWED', message: 'Only Administrators may do this' })).to.equal('You may not do this. (Only Administrators may do this)');
        expect(describeApiError({ code: 'SOMETHING_NEW', message: '' })).to.equal('The organization server refused.');
    });
});
