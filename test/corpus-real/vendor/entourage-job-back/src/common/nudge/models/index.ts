export { Nudge } from './nudge.model';
