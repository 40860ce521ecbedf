/**
 * Multi-selection in a list, as file explorers do it: a click selects one row, ctrl/cmd-click
 * toggles a row, shift-click selects the range from the anchor (the last row clicked alone
 * or toggled) to the clicked row.
 */
export type SelectionGesture = 'single' | 'toggle' | 'range';

export interface ListSelection {
    readonly selected: readonly string[];
    readonly anchor?: string;
}

export const EMPTY_SELECTION: ListSelection = { selected: [] };

export function applySelectionGesture(order: readonly string[], current: ListSelection, target: string, gesture: SelectionGesture): ListSelection {
    if (!order.includes(target)) {
        return current;
    }
    switch (gesture) {
        case 'single':
            return { selected: [target], anchor: target };
        case 'toggle':
            return current.selected.includes(target)
                ? { selected: current.selected.filter(id => id !== target), anchor: target }
                : { selected: order.filter(id => id === target || current.selected.includes(id)), anchor: target };
        case 'range': {
            const anchor = current.anchor !== undefined && order.includes(current.anchor) ? current.anchor : target;
            const [from, to] = [order.indexOf(anchor), order.indexOf(target)].sort((a, b) => a - b);
            return { selected: order.slice(from, to + 1), anchor };
        }
    }
}

/** Keeps only the rows still listed, e.g. after a reload. */
export function retainSelection(order: readonly string[], current: ListSelection): ListSelection {
    const selected = current.selected.filter(id => order.includes(id));
    const anchor = current.anchor !== undefined && order.includes(current.anchor) ? current.anchor : undefined;
    return anchor === undefined ? { selected } : { selected, anchor };
}
