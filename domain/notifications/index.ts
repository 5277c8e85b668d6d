export * from './notification.ts';
export * from './derive.ts';
export * from './templates.ts';
export * from './preferences.ts';
