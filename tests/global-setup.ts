import { buildApp } from './helpers/build.ts';

// The end-to-end tests start the app with `npm start`'s command, which runs the compiled build/.
export default function setup(): void {
  buildApp();
}
