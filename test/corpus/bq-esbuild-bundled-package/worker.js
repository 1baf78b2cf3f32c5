"use strict";
// What esbuild emits when it bundles a dependency into the output: the package's code sits in a
// __commonJS wrapper keyed by its path under node_modules, and the importer calls require_<name>().
var __getOwnPropNames = Object.getOwnPropertyNames;
var __commonJS = (cb, mod) => function __require() {
  return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
};
var __toESM = (mod) => mod && mod.__esModule ? mod : { default: mod };

var require_client = __commonJS({
  "node_modules/@acme/deep/node_modules/got/dist/source/index.js"(exports, module2) {
    module2.exports = { post: (url, options) => ({ url, options }) };
  }
});

var import_bullmq = require("bullmq");
var import_got = __toESM(require_client());
var worker = new import_bullmq.Worker("hooks", async (job) => {
  const { url, payload } = job.data;
  const response = await import_got.default.post(url, { json: payload });
  return { status: response.statusCode };
});
module.exports = { worker };
