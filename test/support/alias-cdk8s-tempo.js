'use strict';
// Preloaded (`node -r`) by the README-example test: `require('cdk8s-tempo')` resolves to this checkout's lib/,
// as it would to the installed package in a user's app.
const Module = require('module');
const path = require('path');

const LIB = path.join(__dirname, '..', '..', 'lib', 'index.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, ...rest) {
  return resolve.call(this, request === 'cdk8s-tempo' ? LIB : request, ...rest);
};
