/** Where a card landed on a platform: its channel (or conversation) and the message id there. */
export interface MessageRef {
  channel: string;
  messageId: string;
}
