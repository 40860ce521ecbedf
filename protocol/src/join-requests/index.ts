export * from './join-request-payload';
export * from './join-acceptance';
