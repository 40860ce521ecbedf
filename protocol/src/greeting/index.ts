export * from './greeting-crypto';
export * from './greeting-steps';
export * from './greeting-flow';
export * from './greeting-enrolment';
export * from './greeting-socket-channel';
