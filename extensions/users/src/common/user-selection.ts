/**
 * Multi-selection in a list, as file explorers do it. With the mouse: a click selects one row,
 * ctrl/cmd-click toggles a row, shift-click selects the range from the anchor (the last row
 * clicked alone or toggled) to the clicked row. With the keyboard: the arrows, Home and End
 * move the focused row and select it alone; with Shift they select the range from the anchor;
 * with Ctrl/Cmd they move the focus only, and Space (Ctrl/Cmd+Space) selects (toggles) the
 * focused row.
 */
export type SelectionGesture = 'single' | 'toggle' | 'range' | 'focus';

export interface ListSelection {
    readonly selected: readonly string[];
    readonly anchor?: string;
    /** The row the keyboard is on (the grid's active descendant). */
    readonly focus?: string;
}

export const EMPTY_SELECTION: ListSelection = { selected: [] };

export function applySelectionGesture(order: readonly string[], current: ListSelection, target: string, gesture: SelectionGesture): ListSelection {
    if (!order.includes(target)) {
        return current;
    }
    switch (gesture) {
        case 'single':
            return { selected: [target], anchor: target, focus: target };
        case 'toggle':
            return current.selected.includes(target)
                ? { selected: current.selected.filter(id => id !== target), anchor: target, focus: target }
                : { selected: order.filter(id => id === target || current.selected.includes(id)), anchor: target, focus: target };
        case 'range': {
            const anchor = current.anchor !== undefined && order.includes(current.anchor) ? current.anchor : target;
            const [from, to] = [order.indexOf(anchor), order.indexOf(target)].sort((a, b) => a - b);
            return { selected: order.slice(from, to + 1), anchor, focus: target };
        }
        case 'focus':
            return { ...current, focus: target };
    }
}

/** Every listed row (Ctrl/Cmd+A); the anchor and focus stay. */
export function selectAll(order: readonly string[], current: ListSelection): ListSelection {
    return { ...current, selected: [...order] };
}

export type FocusMove = 'next' | 'previous' | 'first' | 'last';

/**
 * The row a key moves to: from the focused row (or the last selected one), one down or up,
 * or the first or last listed. Without a focused row, Down and Home go to the first row,
 * Up and End to the last.
 */
export function focusTarget(order: readonly string[], current: ListSelection, move: FocusMove): string | undefined {
    if (order.length === 0) {
        return undefined;
    }
    const from = current.focus !== undefined && order.includes(current.focus) ? current.focus : current.selected[current.selected.length - 1];
    const index = from === undefined ? -1 : order.indexOf(from);
    switch (move) {
        case 'first': return order[0];
        case 'last': return order[order.length - 1];
        case 'next': return index < 0 ? order[0] : order[Math.min(index + 1, order.length - 1)];
        case 'previous': return index < 0 ? order[order.length - 1] : order[Math.max(index - 1, 0)];
    }
}

/** Keeps only the rows still listed, e.g. after a reload. */
export function retainSelection(order: readonly string[], current: ListSelection): ListSelection {
    const selected = current.selected.filter(id => order.includes(id));
    const kept = (id: string | undefined) => id !== undefined && order.includes(id) ? id : undefined;
    const anchor = kept(current.anchor);
    const focus = kept(current.focus);
    return { selected, ...(anchor === undefined ? {} : { anchor }), ...(focus === undefined ? {} : { focus }) };
}
