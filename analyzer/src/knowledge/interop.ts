// Helpers compilers and bundlers emit around `require(...)` (tsc, Babel, esbuild): a call to one is
// the module it wraps, so compiled code reaches the same package facts as its source.
export const INTEROP_HELPERS = new Set([
  '__importDefault', '__importStar', '__toESM', '__toCommonJS', '_interopRequireDefault', '_interopRequireWildcard',
]);
