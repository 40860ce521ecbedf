import { expect } from 'chai';
import { applySelectionGesture, EMPTY_SELECTION, retainSelection } from './user-selection';

describe('applySelectionGesture', () => {
    const order = ['a', 'b', 'c', 'd', 'e'];

    it('selects one row on a plain click', () => {
        const selection = applySelectionGesture(order, { selected: ['a', 'b'], anchor: 'a' }, 'c', 'single');
        expect(selection).to.deep.equal({ selected: ['c'], anchor: 'c' });
    });

    it('toggles rows with ctrl/cmd and keeps list order', () => {
        let selection = applySelectionGesture(order, EMPTY_SELECTION, 'd', 'single');
        selection = applySelectionGesture(order, selection, 'b', 'toggle');
        expect(selection.selected).to.deep.equal(['b', 'd']);
        selection = applySelectionGesture(order, selection, 'd', 'toggle');
        expect(selection.selected).to.deep.equal(['b']);
    });

    it('selects a range from the anchor with shift, both ways', () => {
        const start = applySelectionGesture(order, EMPTY_SELECTION, 'b', 'single');
        expect(applySelectionGesture(order, start, 'd', 'range').selected).to.deep.equal(['b', 'c', 'd']);
        const back = applySelectionGesture(order, applySelectionGesture(order, start, 'd', 'range'), 'a', 'range');
        expect(back).to.deep.equal({ selected: ['a', 'b'], anchor: 'b' });
    });

    it('ignores rows it does not list and forgets rows that went away', () => {
        expect(applySelectionGesture(order, EMPTY_SELECTION, 'z', 'single')).to.equal(EMPTY_SELECTION);
        expect(retainSelection(['a', 'c'], { selected: ['a', 'b'], anchor: 'b' })).to.deep.equal({ selected: ['a'] });
    });
});
