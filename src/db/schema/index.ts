export * from './audit.ts';
export * from './complaints.ts';
export * from './platform.ts';
export * from './references.ts';
export * from './rep-meetings.ts';
export * from './supplies.ts';
export * from './teams.ts';
export * from './time-off.ts';
