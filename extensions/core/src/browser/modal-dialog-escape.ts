import { Disposable } from '@theia/core';
import { ContextKey, ContextKeyService } from '@theia/core/lib/browser/context-key-service';
import { AbstractDialog, DialogOverlayService } from '@theia/core/lib/browser/dialogs';
import { KeybindingContribution, KeybindingRegistry } from '@theia/core/lib/browser/keybinding';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { VouchContextKeys } from '../common/vouch-context-keys';

/**
 * Theia's dialog overlay, which also says in a context key whether a modal dialog is open.
 * Bound in place of DialogOverlayService (every AbstractDialog pushes itself here).
 */
@injectable()
export class ModalDialogOverlayService extends DialogOverlayService {
    @inject(ContextKeyService) protected readonly contextKeyService: ContextKeyService;
    protected modalDialogOpen: ContextKey<boolean>;

    @postConstruct()
    protected init(): void {
        this.modalDialogOpen = this.contextKeyService.createKey<boolean>(VouchContextKeys.MODAL_DIALOG_OPEN, false);
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override push(dialog: AbstractDialog<any>): Disposable {
        const pushed = super.push(dialog);
        this.modalDialogOpen.set(true);
        return Disposable.create(() => {
            pushed.dispose();
            this.modalDialogOpen.set(this.dialogs.length > 0);
        });
    }
}

/**
 * Escape belongs to the modal dialog while one is open. Theia's keybinding "hide notifications"
 * (Escape, `notificationsVisible`) listens on the document before the dialog does, so with a
 * toast on screen the first Escape only hid the toast. This binding, registered later and so
 * matched first, passes Escape through to the dialog; the next Escape reaches the toasts.
 */
@injectable()
export class ModalDialogEscapeContribution implements KeybindingContribution {
    registerKeybindings(keybindings: KeybindingRegistry): void {
        keybindings.registerKeybinding({ command: KeybindingRegistry.PASSTHROUGH_PSEUDO_COMMAND, keybinding: 'esc', when: VouchContextKeys.MODAL_DIALOG_OPEN });
    }
}
