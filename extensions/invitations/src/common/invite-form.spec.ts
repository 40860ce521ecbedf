import { expect } from 'chai';
import { invitees, parseAddresses } from './invite-form';

describe('parseAddresses', () => {
    it('reads a pasted column, commas and "Name <address>", each address once and lowercase', () => {
        const parsed = parseAddresses('bob@example.com\r\nCarol <Carol@Example.com>\n\n dave@example.com, bob@example.com; erin@example.com\tmailto:frank@example.com');
        expect(parsed.invitees.map(invitee => invitee.email)).to.deep.equal(['bob@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com', 'frank@example.com']);
        expect(parsed.invalid).to.deep.equal([]);
        expect(parsed.invitees[1]).to.deep.equal({ email: 'carol@example.com', name: 'Carol' });
    });

    it('lists what is not an address, as typed', () => {
        expect(parseAddresses('bob@example.com\nnot-an-address\nbob at example').invalid).to.deep.equal(['not-an-address', 'bob', 'at', 'example']);
    });

    it('takes a two-column spreadsheet selection: the addresses, the names beside them, and leaves the header row out', () => {
        const pasted = 'Name\tEmail\nBob Stone\tBob@Example.com\nCarol Chen\tcarol@example.com\r\n\tdave@example.com\n';
        const parsed = parseAddresses(pasted);
        expect(parsed.invalid).to.deep.equal([]);
        expect(parsed.header).to.equal('Name\tEmail');
        expect(parsed.invitees).to.deep.equal([
            { email: 'bob@example.com', name: 'Bob Stone' }, { email: 'carol@example.com', name: 'Carol Chen' }, { email: 'dave@example.com' }
        ]);
    });

    it('reads the columns in any order, a first and a last name as one name, and a header naming only the address column', () => {
        expect(parseAddresses('erin@example.com\tErin\tEvans').invitees).to.deep.equal([{ email: 'erin@example.com', name: 'Erin Evans' }]);
        const column = parseAddresses('E-mail address\nfrank@example.com\ngina@example.com');
        expect(column.header).to.equal('E-mail address');
        expect(column.invitees.map(invitee => invitee.email)).to.deep.equal(['frank@example.com', 'gina@example.com']);
        expect(column.invalid).to.deep.equal([]);
    });

    it('takes no header where none is: a first line of addresses, or a lone word that is a typing mistake', () => {
        expect(parseAddresses('hank@example.com\tHank').header).to.equal(undefined);
        const typo = parseAddresses('hank\nivy@example.com');
        expect(typo.header).to.equal(undefined);
        expect(typo.invalid).to.deep.equal(['hank']);
    });

    it('gives no name to a row of several addresses, and refuses a spreadsheet row without an address', () => {
        const parsed = parseAddresses('Team\tjo@example.com\tkim@example.com\nLee Lane\tnot-an-address');
        expect(parsed.invitees).to.deep.equal([{ email: 'jo@example.com' }, { email: 'kim@example.com' }]);
        expect(parsed.invalid).to.deep.equal(['Lee Lane', 'not-an-address']);
    });

    it('proposes a name and a profile per address only where there is one', () => {
        expect(invitees(parseAddresses('a@example.com\nBea\tb@example.com'), { 'b@example.com': 'ADMINISTRATOR' }))
            .to.deep.equal([{ email: 'a@example.com' }, { email: 'b@example.com', name: 'Bea', profile: 'ADMINISTRATOR' }]);
    });
});
