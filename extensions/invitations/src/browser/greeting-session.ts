import { DisposableCollection, Emitter, Event } from '@theia/core';

/**
 * Either side's greeting on this page: a state the dialog renders, announced on each change, and
 * how the person leaves it — closing the dialog (`CLOSED`) or the page going away (`LEFT`), both
 * telling the other side at once.
 */
export abstract class GreetingSession<S> {
    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<S>();
    readonly onDidChange: Event<S> = this.onDidChangeEmitter.event;

    constructor(protected current: S) {
        this.toDispose.push(this.onDidChangeEmitter);
    }

    get state(): S {
        return this.current;
    }

    protected show(state: S): void {
        this.current = state;
        this.onDidChangeEmitter.fire(state);
    }

    /** The person closed the dialog (Escape, Close). */
    close(): void {
        this.end('CLOSED');
    }

    /** The page goes away (reload, closed tab). */
    leave(): void {
        this.end('LEFT');
    }

    /** Ends the running attempt, if any, for the other side; no attempt runs here afterwards. */
    protected abstract end(reason: 'CLOSED' | 'LEFT'): void;

    dispose(): void {
        this.toDispose.dispose();
    }
}
