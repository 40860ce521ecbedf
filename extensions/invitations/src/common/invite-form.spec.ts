import { expect } from 'chai';
import { invitees, parseAddresses } from './invite-form';

describe('parseAddresses', () => {
    it('reads a pasted column, commas and "Name <address>", each address once and lowercase', () => {
        const parsed = parseAddresses('bob@example.com\r\nCarol <Carol@Example.com>\n\n dave@example.com, bob@example.com; erin@example.com\tmailto:frank@example.com');
        expect(parsed.emails).to.deep.equal(['bob@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com', 'frank@example.com']);
        expect(parsed.invalid).to.deep.equal([]);
    });

    it('lists what is not an address, as typed', () => {
        expect(parseAddresses('bob@example.com\nnot-an-address\nbob at example').invalid).to.deep.equal(['not-an-address', 'bob', 'at', 'example']);
    });

    it('proposes a profile per address only where one was chosen', () => {
        expect(invitees(parseAddresses('a@example.com b@example.com'), { 'b@example.com': 'ADMINISTRATOR' }))
            .to.deep.equal([{ email: 'a@example.com' }, { email: 'b@example.com', profile: 'ADMINISTRATOR' }]);
    });
});
