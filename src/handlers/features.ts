import type { Feature } from './router.ts';

/** Every feature the router serves; a command without a feature answers that it is not available yet. */
export const FEATURES: readonly Feature[] = [];
