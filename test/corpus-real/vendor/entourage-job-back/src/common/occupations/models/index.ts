export { Occupation } from './occupation.model';
