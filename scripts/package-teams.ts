// Writes dist/frontdesk-teams.zip, the app package a Teams admin uploads (Teams admin center → Manage apps → Upload).
// Usage: MICROSOFT_APP_ID=<bot app id> PUBLIC_HOST=frontdesk.example.org npm run package:teams
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^[a-z0-9.-]+(:\d+)?$/i;

const appId = process.env.MICROSOFT_APP_ID ?? '';
const publicHost = process.env.PUBLIC_HOST ?? '';
if (!GUID.test(appId)) {
  process.stderr.write(
    'package:teams: MICROSOFT_APP_ID: expected the bot’s app id, a GUID like 00000000-0000-0000-0000-000000000000\n',
  );
  process.exit(1);
}
if (!HOST.test(publicHost)) {
  process.stderr.write(
    'package:teams: PUBLIC_HOST: expected the public host name of this server, like frontdesk.example.org\n',
  );
  process.exit(1);
}

const folder = new URL('../manifests/teams/', import.meta.url);
const manifest = readFileSync(new URL('manifest.json', folder), 'utf8')
  .replaceAll('{{MICROSOFT_APP_ID}}', appId)
  .replaceAll('{{PUBLIC_HOST}}', publicHost);
JSON.parse(manifest);
const zip = zipSync({
  'manifest.json': new TextEncoder().encode(manifest),
  'color.png': readFileSync(new URL('color.png', folder)),
  'outline.png': readFileSync(new URL('outline.png', folder)),
});
mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
const out = new URL('../dist/frontdesk-teams.zip', import.meta.url);
writeFileSync(out, zip);
process.stdout.write(`wrote ${out.pathname}\n`);
