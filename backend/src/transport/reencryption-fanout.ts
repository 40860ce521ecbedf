import { EventBus, EventSubscription } from '../common/event-bus';
import { pushToDevices } from './event-fanout';
import { DeviceNamespace } from './socket-types';

/**
 * Re-encryption's events to this instance's sockets (every instance hears the bus): a revocation's
 * exposed workspaces to each of their Owners by name, one event per Owner listing only their
 * own workspaces; maintenance on and off to the workspace's members, with a key-list change to
 * each member so their clients fetch the new key.
 */
export function fanOutReencryptionEvents(bus: EventBus, devices: DeviceNamespace): EventSubscription {
    const subscriptions = [
        bus.on('workspaces.reencryptionNeeded', ({ organizationId, revokedUserIds, workspaces }) => {
            const byOwner = new Map<string, string[]>();
            for (const { workspaceId, owners } of workspaces) {
                owners.forEach(owner => byOwner.set(owner, [...byOwner.get(owner) ?? [], workspaceId]));
            }
            for (const [owner, workspaceIds] of byOwner) {
                pushToDevices(devices, 'workspaces.reencryptionNeeded', 'user', { organizationId, subject: owner }, { workspaceIds, revokedUserIds });
            }
        }),
        bus.on('workspace.maintenance', ({ organizationId, workspaceId, maintenance, keyIndex, members }) => {
            pushToDevices(devices, 'workspace.maintenance', 'workspace', { organizationId, subject: workspaceId }, { workspaceId, maintenance, keyIndex });
            if (maintenance) {
                members.forEach(userId => pushToDevices(devices, 'workspaces.changed', 'user', { organizationId, subject: userId }, { workspaceId }));
            }
        })
    ];
    return { dispose: () => subscriptions.forEach(subscription => subscription.dispose()) };
}
