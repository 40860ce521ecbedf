import { Emitter, Event } from '@theia/core';
import { injectable } from '@theia/core/shared/inversify';
import { WorkspaceId } from '@vouch/protocol';

export interface VouchWorkspaceRoot {
    readonly workspaceId: WorkspaceId;
    /** Undefined until the workspace's root manifest was read. */
    readonly name: string | undefined;
    /** A Reader's workspace. */
    readonly readonly: boolean;
}

/**
 * The open Vouch workspaces as the workbench's roots see them (id, name, read-only). It
 * depends on nothing, so Theia's workspace service and label provider can read it without
 * pulling in the session, which itself needs them (through the preferences).
 */
@injectable()
export class VouchWorkspaceRoots {
    protected current: readonly VouchWorkspaceRoot[] = [];
    protected readonly onDidChangeEmitter = new Emitter<readonly VouchWorkspaceRoot[]>();
    readonly onDidChange: Event<readonly VouchWorkspaceRoot[]> = this.onDidChangeEmitter.event;

    get roots(): readonly VouchWorkspaceRoot[] {
        return this.current;
    }

    get(workspaceId: string): VouchWorkspaceRoot | undefined {
        return this.current.find(root => root.workspaceId === workspaceId);
    }

    /** Replaces the roots; fires only when something a root shows changed. */
    set(roots: readonly VouchWorkspaceRoot[]): void {
        const same = roots.length === this.current.length && roots.every((root, index) => {
            const before = this.current[index];
            return before.workspaceId === root.workspaceId && before.name === root.name && before.readonly === root.readonly;
        });
        if (!same) {
            this.current = roots;
            this.onDidChangeEmitter.fire(roots);
        }
    }
}
