/** One message of the conversation, in the OpenAI chat shape. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The conversation so far, bounded: only the newest `maxMessages` are kept, dropped in
 * user/assistant pairs so the history never starts with an orphaned assistant reply.
 */
export class ConversationHistory {
  private messages: ChatMessage[] = [];

  constructor(private maxMessages: number) {}

  setLimit(maxMessages: number): void {
    this.maxMessages = maxMessages;
    this.trim();
  }

  get size(): number {
    return this.messages.length;
  }

  snapshot(): readonly ChatMessage[] {
    return [...this.messages];
  }

  /** The messages for one request: the system prompt, the bounded history, the new input. */
  requestMessages(systemPrompt: string, input: string): ChatMessage[] {
    return [{ role: 'system', content: systemPrompt }, ...this.messages, { role: 'user', content: input }];
  }

  /** Records a finished exchange. An empty reply (nothing was said) records nothing. */
  addExchange(input: string, reply: string): void {
    if (reply.trim() === '') return;
    this.messages.push({ role: 'user', content: input }, { role: 'assistant', content: reply });
    this.trim();
  }

  /**
   * Rewrites the newest exchange, if it is for `input`, to what the listener actually heard;
   * nothing heard removes it.
   */
  amendLastReply(input: string, reply: string): void {
    const n = this.messages.length;
    if (n < 2 || this.messages[n - 2]!.content !== input) return;
    if (reply.trim() === '') this.messages.splice(n - 2, 2);
    else this.messages[n - 1] = { role: 'assistant', content: reply };
  }

  private trim(): void {
    const excess = this.messages.length - this.maxMessages;
    if (excess > 0) this.messages.splice(0, excess + (excess % 2));
  }
}
