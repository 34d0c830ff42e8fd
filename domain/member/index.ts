export * from './events';
export * from './state';
export * from './decide';
export * from './subscription';
export * from './stripe-facts';
export * from './stripe-dues';
