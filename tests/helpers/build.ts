import { spawnSync } from 'node:child_process';
import { repoRootPath } from './processes.ts';

/**
 * Compiles src/ to build/ (`npm run build`), so what tests and benchmarks start with `npm start`'s command
 * is the code as it stands, not an older build.
 */
export function buildApp(): void {
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
    cwd: repoRootPath,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status ?? build.signal})`);
}
