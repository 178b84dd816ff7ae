// Loaded with require, not import: see http.cjs.
module.exports = require('node:zlib');
