// Theia's CLI pulls in puppeteer; its browser download cannot succeed here (and is never
// needed: end-to-end tests drive Debian's Chromium through playwright-core).
module.exports = { skipDownload: true };
