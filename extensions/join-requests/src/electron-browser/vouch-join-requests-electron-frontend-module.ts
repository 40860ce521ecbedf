import { ContainerModule } from '@theia/core/shared/inversify';
import { PendingJoinStore } from '../browser/pending-join-store';
import { FilePendingJoinStore } from './file-pending-join-store';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(FilePendingJoinStore).toSelf().inSingletonScope();
    rebind(PendingJoinStore).toService(FilePendingJoinStore);
});
