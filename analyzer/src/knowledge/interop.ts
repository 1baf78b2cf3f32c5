// Helpers compilers and bundlers emit around `require(...)` (tsc, Babel, SWC, esbuild): a call to one
// is the module it wraps, so compiled code reaches the same package facts as its source.
export const INTEROP_HELPERS = new Set([
  '__importDefault', '__importStar', '__toESM', '__toCommonJS', '_interopRequireDefault', '_interopRequireWildcard',
  '_interop_require_default', '_interop_require_wildcard',
]);

// Helpers compiled `export * from 'x'` calls with `require('x')` (tsc and tslib `__exportStar`, esbuild `__reExport`).
export const EXPORT_STAR_HELPERS = new Set(['__exportStar', '__reExport']);

// SWC's `_export(exports, { a: function() { return a; } })`: each name is what its getter returns.
export const EXPORT_GETTERS_HELPERS = new Set(['_export']);

// esbuild's wrapper around a module it bundled: `__commonJS({ "node_modules/axios/index.js"(exports, module) {…} })`.
// The key names the package the wrapped code came from.
export const BUNDLED_MODULE_HELPERS = new Set(['__commonJS']);

// Helpers that run a compiled async function (tsc and tslib `__awaiter`, Babel `_asyncToGenerator`, SWC `_async_to_generator`):
// the generator handed to one is the function's body, and each `yield` in it is an `await`.
export const AWAITER_HELPERS = new Set(['__awaiter', '_asyncToGenerator', '_async_to_generator']);

// tsc's ES5 state machine (`__generator`): the function handed to it is the body, and
// `return [4 /*yield*/, x]` is `yield x`.
export const GENERATOR_HELPERS = new Set(['__generator']);
/** The opcode of `yield` in a `__generator` body's returned instruction. */
export const GENERATOR_YIELD = 4;
