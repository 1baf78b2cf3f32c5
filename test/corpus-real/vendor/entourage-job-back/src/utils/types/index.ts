export * from './api.types';
export * from './filters.types';
export * from '../constants/whatsapp-groups';
export * from './historized-model.types';
export * from './factory.types';
export * from './any.types';
