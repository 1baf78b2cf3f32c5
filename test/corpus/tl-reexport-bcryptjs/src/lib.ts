export { hashPassword as hash } from './auth/index.ts';
