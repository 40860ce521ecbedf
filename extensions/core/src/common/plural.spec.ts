import { expect } from 'chai';
import { localizePlural } from './plural';

describe('localizePlural', () => {
    const forms = { one: 'One user will become {1}.', other: '{0} users will become {1}.' };

    it('says one and many in their own words, never "user(s)"', () => {
        expect(localizePlural('test/willChange', 1, forms, 'Member')).to.equal('One user will become Member.');
        expect(localizePlural('test/willChange', 0, forms, 'Member')).to.equal('0 users will become Member.');
        expect(localizePlural('test/willChange', 3, forms, 'Administrator')).to.equal('3 users will become Administrator.');
    });
});
