export { Interest } from './interest.model';
