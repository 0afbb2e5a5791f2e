import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withKeys } from '../../src/domain/with-keys.ts';

describe('withKeys', () => {
  it('is { ...base, ...added }: a new object, the added keys winning, neither source changed', () => {
    const base = { id: 7, status: 'pending', note: null as string | null };
    const added = { status: 'approved', decidedBy: 'Dana' };
    const copy = withKeys(base, added);
    expect(copy).toEqual({ id: 7, status: 'approved', note: null, decidedBy: 'Dana' });
    expect(Object.keys(copy)).toEqual(['id', 'status', 'note', 'decidedBy']);
    expect(copy).not.toBe(base);
    expect(base).toEqual({ id: 7, status: 'pending', note: null });
    expect(added).toEqual({ status: 'approved', decidedBy: 'Dana' });
  });

  it('makes copies that share one hidden class, as the same call makes them again and again', () => {
    // V8's own check of hidden classes is open only to a process started with --allow-natives-syntax. It
    // loads the source through tsx, so the test checks the code as it stands, not an earlier build of it.
    const source = fileURLToPath(new URL('../../src/domain/with-keys.ts', import.meta.url));
    const script = `
      const { withKeys } = await import(${JSON.stringify(source)});
      const row = (i) => ({ id: i, officeId: 'main', requesterKey: 'staff:' + i, startDay: '2027-01-04', reason: '' });
      let first, shared = 0;
      for (let i = 0; i < 2000; i++) {
        const copy = withKeys(row(i), { status: 'pending', decidedAt: null });
        first ??= copy;
        if (%HaveSameMap(copy, first)) shared++;
      }
      process.stdout.write(String(shared));`;
    const shared = execFileSync(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)) },
    );
    expect(Number(shared.toString())).toBe(2000);
  });
});
