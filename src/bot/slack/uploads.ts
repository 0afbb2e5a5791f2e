import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Attachment } from '../../handlers/kernel/message.ts';

/**
 * Whether Slack handed out this upload URL: its file host, or the configured Web API's own host (a
 * GovSlack or test API). The bytes of an export go nowhere else.
 */
function isSlackUploadUrl(url: string, apiUrl: string | undefined): boolean {
  const { protocol, hostname, origin } = new URL(url);
  if (apiUrl && origin === new URL(apiUrl).origin) return true;
  return protocol === 'https:' && (hostname === 'files.slack.com' || hostname === 'files.slack-gov.com');
}

/**
 * Uploads files into the person's direct messages with the bot, as Slack's external upload flow has it
 * (files.getUploadURLExternal, a POST of the bytes, files.completeUploadExternal, as filesUploadV2 does).
 * Done by hand because the client is kept from following absolute URLs. False when it did not work.
 */
export async function uploadToDirectMessage(
  client: WebClient,
  params: { userId: string; attachments: readonly Attachment[]; apiUrl: string | undefined; logger: Logger },
): Promise<boolean> {
  try {
    const opened = await client.conversations.open({ users: params.userId });
    const channel = opened.channel?.id;
    if (!channel) return false;
    const files: { id: string; title: string }[] = [];
    for (const attachment of params.attachments) {
      const target = await client.files.getUploadURLExternal({
        filename: attachment.name,
        length: attachment.content.byteLength,
      });
      if (!target.upload_url || !target.file_id || !isSlackUploadUrl(target.upload_url, params.apiUrl))
        return false;
      const posted = await fetch(target.upload_url, {
        method: 'POST',
        headers: { 'content-type': attachment.contentType },
        body: Buffer.from(attachment.content),
        signal: AbortSignal.timeout(30_000),
      });
      if (!posted.ok) return false;
      files.push({ id: target.file_id, title: attachment.title });
    }
    await client.files.completeUploadExternal({
      files: files as [{ id: string; title: string }],
      channel_id: channel,
    });
    return true;
  } catch (error) {
    params.logger.warn({ type: error instanceof Error ? error.name : typeof error }, 'Slack upload failed');
    return false;
  }
}
