import { DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { reply, value } from '../transport/replies';
import { WorkspacesService } from './workspaces-service';

type WorkspaceRequests = 'workspaces.create' | 'workspaces.list' | 'workspaces.roles' | 'workspaces.share' | 'workspaces.manifests' | 'workspaces.write' |
    'workspaces.putBlock' | 'workspaces.putBlocks' | 'workspaces.getBlock';

export function workspacesDeviceHandlers(service: WorkspacesService, clock: () => number): Pick<RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>, WorkspaceRequests> {
    return {
        'workspaces.create': async (request, session) => reply(await service.create(session, request.workspaceId, request.certificates, request.sealedKeys, request.root.blob, clock())),
        'workspaces.list': async (_request, session) => value({ workspaces: await service.list(session) }),
        'workspaces.roles': async (request, session) => reply(await service.roles(session, request.workspaceId)),
        'workspaces.share': async (request, session) => reply(await service.share(session, request.workspaceId, request.certificates, request.sealedKeys, clock())),
        'workspaces.manifests': async (request, session) => reply(await service.manifests(session, request.workspaceId, request.since, request.limit)),
        'workspaces.write': async (request, session) => reply(await service.write(session, request.workspaceId, request.entries, clock())),
        'workspaces.putBlock': async (request, session) => reply(await service.putBlock(session, request.workspaceId, request.blockId, request.data)),
        'workspaces.putBlocks': async (request, session) => reply(await service.putBlocks(session, request.workspaceId, request.blocks)),
        'workspaces.getBlock': async (request, session) => reply(await service.getBlock(session, request.workspaceId, request.blockId))
    };
}
