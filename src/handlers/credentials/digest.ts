import { loadCredentialsInForce } from '../../db/repositories/credentials.ts';
import { listExpiring } from '../../domain/credentials.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import type { FeatureDigest } from '../kernel/digest.ts';
import { describeExpiry } from './card.ts';

/** Credentials lapsed or expiring within 30 days, by name only: the huddle is read by everyone. */
export const credentialsDigest: FeatureDigest = {
  order: DIGEST_ORDER.compliance,
  async load({ db, office, day }) {
    const zone = office.office.timezone;
    const expiring = listExpiring(await loadCredentialsInForce(db, office), day);
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
