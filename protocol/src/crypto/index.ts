export * from './signature-scheme';
export * from './random';
export * from './key-exchange';
export * from './secret-box';
export * from './password-key';
export * from './hash';
