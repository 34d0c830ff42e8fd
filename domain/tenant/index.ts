export * from './events';
export * from './state';
export * from './decide';
export * from './plans';
export * from './billing-facts';
export * from './billing-view';
export * from './payments';
