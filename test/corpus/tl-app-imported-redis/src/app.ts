import { createApp } from 'tasklane';
export const app = createApp({ name: 'cache' });
