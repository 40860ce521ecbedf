import { expect } from 'chai';
import { applySelectionGesture, EMPTY_SELECTION, focusTarget, retainSelection, selectAll } from './user-selection';

describe('applySelectionGesture', () => {
    const order = ['a', 'b', 'c', 'd', 'e'];

    it('selects one row on a plain click', () => {
        const selection = applySelectionGesture(order, { selected: ['a', 'b'], anchor: 'a' }, 'c', 'single');
        expect(selection).to.deep.equal({ selected: ['c'], anchor: 'c', focus: 'c' });
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
        expect(back).to.deep.equal({ selected: ['a', 'b'], anchor: 'b', focus: 'a' });
    });

    it('ignores rows it does not list and forgets rows that went away', () => {
        expect(applySelectionGesture(order, EMPTY_SELECTION, 'z', 'single')).to.equal(EMPTY_SELECTION);
        expect(retainSelection(['a', 'c'], { selected: ['a', 'b'], anchor: 'b', focus: 'c' })).to.deep.equal({ selected: ['a'], focus: 'c' });
    });

    it('moves the focus alone with ctrl, then space toggles the focused row', () => {
        let selection = applySelectionGesture(order, EMPTY_SELECTION, 'b', 'single');
        selection = applySelectionGesture(order, selection, focusTarget(order, selection, 'next')!, 'focus');
        selection = applySelectionGesture(order, selection, focusTarget(order, selection, 'next')!, 'focus');
        expect(selection).to.deep.equal({ selected: ['b'], anchor: 'b', focus: 'd' });
        selection = applySelectionGesture(order, selection, selection.focus!, 'toggle');
        expect(selection.selected).to.deep.equal(['b', 'd']);
    });
});

describe('focusTarget', () => {
    const order = ['a', 'b', 'c'];

    it('goes down and up from the focused row, and stops at the ends', () => {
        expect(focusTarget(order, { selected: ['a'], focus: 'b' }, 'next')).to.equal('c');
        expect(focusTarget(order, { selected: [], focus: 'c' }, 'next')).to.equal('c');
        expect(focusTarget(order, { selected: [], focus: 'a' }, 'previous')).to.equal('a');
        expect(focusTarget(order, { selected: ['b'] }, 'previous')).to.equal('a');
    });

    it('starts at an end when nothing is focused, and finds nothing in an empty list', () => {
        expect(focusTarget(order, EMPTY_SELECTION, 'next')).to.equal('a');
        expect(focusTarget(order, EMPTY_SELECTION, 'previous')).to.equal('c');
        expect(focusTarget(order, EMPTY_SELECTION, 'last')).to.equal('c');
        expect(focusTarget([], EMPTY_SELECTION, 'first')).to.equal(undefined);
    });

    it('selects everything listed with ctrl+A', () => {
        expect(selectAll(order, { selected: ['b'], anchor: 'b', focus: 'b' })).to.deep.equal({ selected: ['a', 'b', 'c'], anchor: 'b', focus: 'b' });
    });
});
