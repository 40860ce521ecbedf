#!/usr/bin/env node
// eslint-disable-next-line no-undef, @typescript-eslint/no-require-imports
require('../lib/cli').main();
