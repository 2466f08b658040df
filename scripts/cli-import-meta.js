// import.meta.url in the CommonJS bundle of the CLI (scripts/bundle-cli.mjs
// defines it as this): the bundle file's URL, as an ES module of it would see.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
