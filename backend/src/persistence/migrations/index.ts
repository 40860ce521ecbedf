import { InitialSchema1763900000000 } from './1763900000000-initial-schema';

/** In order; checked in, run at start and by `vouch-server migrate`. */
export const MIGRATIONS = [InitialSchema1763900000000];
