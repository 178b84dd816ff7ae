// Loaded with require, not import: an ESM import of node:http makes Node build its ESM facade, which touches
// every lazy export of the module and so loads undici (about 20 ms of every cold start).
module.exports = require('node:http');
