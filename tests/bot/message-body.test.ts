import type { KnownBlock } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { replyToHtml } from '../../src/bot/sandbox/render.ts';
import { replyToBlocks } from '../../src/bot/slack/render.ts';
import { replyToAdaptiveCard } from '../../src/bot/teams/render.ts';
import type { Message } from '../../src/handlers/kernel/message.ts';

const unescapeMrkdwn = (text: string) =>
  text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
// Every backslash Teams is sent escapes the character after it.
const unescapeTeams = (text: string) => text.replace(/\\(.)/g, '$1');
const unescapeHtml = (text: string) =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');

/** What a person reads of a message's title and body on one platform, with the platform's escaping undone. */
interface Visible {
  title: string | undefined;
  body: string[];
}

function slackVisible(message: Message): Visible {
  const blocks = replyToBlocks(message) as (KnownBlock & { text?: { text: string } })[];
  const header = blocks.find((block) => block.type === 'header');
  // With no sections, fields or note in these messages, the only section is the body.
  const section = blocks.find((block) => block.type === 'section');
  return {
    title: header?.text?.text,
    body: section?.text ? unescapeMrkdwn(section.text.text).split('\n') : [],
  };
}

function teamsVisible(message: Message): Visible {
  const blocks = replyToAdaptiveCard(message).body as { type: string; text: string; weight?: string }[];
  const texts = blocks.filter((block) => block.type === 'TextBlock');
  const title = texts.find((block) => block.weight === 'Bolder');
  return {
    title: title ? unescapeTeams(title.text) : undefined,
    body: texts.filter((block) => block !== title).map((block) => unescapeTeams(block.text)),
  };
}

function sandboxVisible(message: Message): Visible {
  const html = replyToHtml(message);
  const title = /<div class="card-title">(.*?)<\/div>/.exec(html)?.[1];
  return {
    title: title === undefined ? undefined : unescapeHtml(title),
    body: [...html.matchAll(/<div class="card-line">(.*?)<\/div>/g)].map((match) =>
      unescapeHtml(match[1] ?? ''),
    ),
  };
}

const RENDERERS = { slack: slackVisible, teams: teamsVisible, sandbox: sandboxVisible };

const TYPED = ['Sam <b>& "co"</b>', "*Dec 1* – [x](http://e.vil) it's", '- 3. not a list'];

const CASES: { name: string; message: Message; expected: Visible }[] = [
  {
    name: 'lines under a title',
    message: { text: 'Time off TO-1 filed', title: 'Time off TO-1', lines: TYPED },
    expected: { title: 'Time off TO-1', body: TYPED },
  },
  {
    name: 'lines without a title',
    message: { text: 'Time off TO-1 filed', lines: TYPED },
    expected: { title: undefined, body: TYPED },
  },
  {
    name: 'a title alone, which stands for the text',
    message: { text: 'Huddle for Wed Nov 25', title: 'Huddle' },
    expected: { title: 'Huddle', body: [] },
  },
  {
    name: 'a title with no lines',
    message: { text: 'Huddle for Wed Nov 25', title: 'Huddle', lines: [] },
    expected: { title: 'Huddle', body: [] },
  },
  {
    name: 'the text alone',
    message: { text: 'Nothing pending <for> you & "yours"' },
    expected: { title: undefined, body: ['Nothing pending <for> you & "yours"'] },
  },
  {
    name: 'the text when there are no lines',
    message: { text: 'Nothing pending', lines: [] },
    expected: { title: undefined, body: ['Nothing pending'] },
  },
];

describe('the body rule on every platform', () => {
  for (const { name, message, expected } of CASES) {
    for (const [platform, visible] of Object.entries(RENDERERS)) {
      it(`${platform} shows ${name}`, () => {
        expect(visible(message)).toEqual(expected);
      });
    }
  }
});
