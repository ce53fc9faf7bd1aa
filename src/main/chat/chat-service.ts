import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatConnectionState, ChatPanelState } from '../../shared/chat';
import type { PipelineEvent } from '../../shared/pipeline-events';
import type { PipelineSettings } from '../../shared/settings';
import type { StreamingLlm } from '../pipeline/conversation';
import type { Logger } from '../pipeline/logger';
import { ChatCoordinator, type ChatTurns } from './chat-coordinator';
import { localChatEndpoint } from './local-chat-endpoint';
import { moderatedReplies } from './moderated-replies';
import { TwitchChatSource, type TwitchSignIn } from './twitch-chat-source';
import { viewerName } from './viewer-framing';

export interface ChatServiceOptions {
  settings: PipelineSettings;
  runner: ChatTurns;
  logger: Logger;
  /** The optional Twitch sign-in (twitch-sign-in-store.ts); read whenever Twitch (re)connects. */
  signIn?: () => TwitchSignIn | undefined;
  /** Bearer token of the local chat endpoint. */
  localToken: string;
  /** The panel's state changed. */
  onChange?(): void;
}

/**
 * Live chat, composed: the Twitch source (started, restarted and stopped as the settings change),
 * the local endpoint, the coordinator that chooses what to answer, and the reply moderation that
 * wraps the LLM. The Electron shell and the tests build the same thing.
 */
export class ChatService {
  readonly coordinator: ChatCoordinator;
  /** For the browser/OBS server's `extraRoutes`. */
  readonly localEndpoint: (req: IncomingMessage, res: ServerResponse) => boolean;
  private settings: PipelineSettings;
  private twitch: TwitchChatSource | undefined;
  private twitchKey = '';
  private twitchState: ChatPanelState['twitch'] = { state: 'off', channel: '' };

  constructor(private readonly options: ChatServiceOptions) {
    this.settings = options.settings;
    this.coordinator = new ChatCoordinator({
      runner: options.runner,
      chat: options.settings.chat,
      characterName: options.settings.character.name,
      logger: options.logger,
      answered: (entry, reply) => {
        if (entry.platform !== 'twitch' || !this.settings.chat.postAnswers || !this.twitch?.signedIn) return;
        this.twitch
          .post(`@${viewerName(entry.viewer)} ${reply}`)
          .catch((error: unknown) =>
            options.logger.warn('chat: the answer could not be posted to Twitch', error),
          );
      },
      ...(options.onChange && { onChange: options.onChange }),
    });
    this.localEndpoint = localChatEndpoint({
      token: options.localToken,
      accept: (message) => this.coordinator.accept(message),
      logger: options.logger,
    });
    this.syncTwitch();
  }

  /** Wraps the LLM so answers to chat are moderated before they are shown or spoken. */
  moderate(llm: StreamingLlm): StreamingLlm {
    return moderatedReplies(llm, () =>
      this.settings.chat.enabled ? this.settings.chat.blocklist : undefined,
    );
  }

  updateSettings(settings: PipelineSettings): void {
    this.settings = settings;
    this.coordinator.configure(settings.chat, settings.character.name);
    this.syncTwitch();
  }

  /** The sign-in changed: reconnect with (or without) it. */
  signInChanged(): void {
    this.twitchKey = '';
    this.syncTwitch();
  }

  observe(event: PipelineEvent): void {
    this.coordinator.observe(event);
  }

  state(): ChatPanelState {
    return { ...this.coordinator.state(), twitch: { ...this.twitchState } };
  }

  close(): void {
    this.twitch?.close();
    this.twitch = undefined;
    this.coordinator.close();
  }

  private syncTwitch(): void {
    const { enabled, twitchChannel, twitchServer } = this.settings.chat;
    const channel = twitchChannel.replace(/^#/, '').toLowerCase();
    const signIn = this.options.signIn?.();
    const key = enabled && channel ? `${channel} ${twitchServer} ${signIn ? 'signed-in' : 'anonymous'}` : '';
    if (key === this.twitchKey) return;
    this.twitchKey = key;
    this.twitch?.close();
    this.twitch = undefined;
    this.setTwitchState('off', channel);
    if (!key) return;
    try {
      this.twitch = new TwitchChatSource({
        channel,
        server: twitchServer,
        ...(signIn && { signIn }),
        logger: this.options.logger,
        onMessage: (message) => this.coordinator.accept(message),
        onState: (state, message) => this.setTwitchState(state, channel, message),
      });
      this.twitch.start();
    } catch (error) {
      this.options.logger.error('chat: Twitch chat could not start', error);
      this.setTwitchState('failed', channel, 'Twitch chat could not start; see the log.');
    }
  }

  private setTwitchState(state: ChatConnectionState, channel: string, message?: string): void {
    this.twitchState = { state, channel, ...(message && { message }) };
    this.options.onChange?.();
  }
}
