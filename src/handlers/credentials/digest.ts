import { loadCredentialsInForce } from '../../db/repositories/credentials.ts';
import { isHeldByCurrentHolder, listExpiring } from '../../domain/credentials.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import type { FeatureDigest } from '../kernel/digest.ts';
import { describeExpiry } from './card.ts';

/**
 * Credentials lapsed or expiring within 30 days, by name only: the huddle is read by everyone. Those of
 * someone no longer on the staff list are left out: not news for the team (`/creds list` still shows them to
 * managers, marked, to remove).
 */
export const credentialsDigest: FeatureDigest = {
  order: DIGEST_ORDER.compliance,
  async load({ db, office, day }) {
    const zone = office.office.timezone;
    const current = (await loadCredentialsInForce(db, office)).filter((credential) =>
      isHeldByCurrentHolder(credential, office),
    );
    const expiring = listExpiring(current, day);
    return [
      {
        heading: 'Credentials',
        lines: expiring.map(
          (credential) =>
            `${credential.name} — ${credential.holderName}: ${describeExpiry(credential, day, zone)}`,
        ),
      },
    ];
  },
};
