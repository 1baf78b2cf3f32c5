export { Media } from './media.model';
