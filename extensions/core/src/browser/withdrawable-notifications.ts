import { Disposable, MessageService } from '@theia/core';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { NotificationContentRenderer } from '@theia/messages/lib/browser/notification-content-renderer';
import { Notification, NotificationManager } from '@theia/messages/lib/browser/notifications-manager';

export interface WithdrawableMessage {
    /** The action the person chose; undefined when closed or withdrawn. */
    readonly answer: Promise<string | undefined>;
    /** Takes the notification away: what it offered no longer holds. */
    withdraw(): void;
}

/**
 * Notifications that can be taken back. Theia's `MessageService` cannot close what it showed;
 * an offer that no longer holds ("Create Organization" once the organization exists) must not
 * stay on screen. Uses only the notification manager's public events and `clear`.
 */
@injectable()
export class WithdrawableNotifications {
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(NotificationManager) @optional() protected readonly manager?: NotificationManager;
    @inject(NotificationContentRenderer) @optional() protected readonly renderer?: NotificationContentRenderer;

    info(text: string, ...actions: string[]): WithdrawableMessage {
        const manager = this.manager;
        const renderer = this.renderer;
        if (!manager || !renderer) {
            return { answer: this.messages.info(text, ...actions), withdraw: () => undefined };
        }
        const rendered = renderer.renderMessage(text);
        const isThis = (notification: Notification) => notification.message === rendered && notification.actions.join('\n') === actions.join('\n');
        let messageId: string | undefined;
        let withdrawn = false;
        const clearIfWithdrawn = () => {
            if (withdrawn && messageId) {
                manager.clear(messageId);
            }
        };
        // Before showing it: the manager announces a new notification at once.
        const listening: Disposable = manager.onUpdated(({ notifications }) => {
            messageId = notifications.find(isThis)?.messageId ?? messageId;
            clearIfWithdrawn();
        });
        const answer = this.messages.info(text, ...actions);
        answer.then(() => listening.dispose(), () => listening.dispose());
        return {
            answer,
            withdraw: () => {
                withdrawn = true;
                clearIfWithdrawn();
            }
        };
    }
}
