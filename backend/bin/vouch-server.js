#!/usr/bin/env node
require('../lib/cli').runCli(process.argv.slice(2)).then(code => { process.exitCode = code; });
