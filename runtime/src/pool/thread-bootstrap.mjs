// Source form only: Node 20 applies neither the parent's --import nor its module.register() hooks
// to worker threads, so compile TypeScript here before loading the TypeScript thread entry.
// (The bundled runtime starts thread.mjs directly; loader.ts registers tsx there.)
import { register } from 'tsx/esm/api';
import { register as registerCommonJs } from 'tsx/cjs/api';

register();
registerCommonJs();
const { default: run } = await import('./thread.ts');
export default run;
