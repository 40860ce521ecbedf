/** oidc-provider ships no types; the tests use a handful of its members. */
declare module 'oidc-provider';
