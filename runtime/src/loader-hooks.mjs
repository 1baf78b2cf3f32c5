// module.register() hooks, run on Node's loader thread (plain JS: nothing compiles TypeScript there).
// A task module that imports 'tasklane' from a folder where none is installed (a workspace run by
// the extension's bundled runtime) gets the runtime that is loading it.
let runtimeUrl;

export function initialize(data) {
  runtimeUrl = data.runtimeUrl;
}

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    // Through the rest of the chain, so tsx gives the TypeScript source form its format.
    if (specifier === 'tasklane' && error?.code === 'ERR_MODULE_NOT_FOUND') return next(runtimeUrl, context);
    throw error;
  }
}
