export { Contract } from './contract.model';
