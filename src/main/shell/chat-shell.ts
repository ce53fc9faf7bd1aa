import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import Store from 'electron-store';
import { z } from 'zod';
import {
  CHAT_IPC,
  chatControlSchema,
  chatSignInSchema,
  type ChatPanelInfo,
  type ChatResult,
} from '../../shared/chat-api';
import type { PipelineEvent } from '../../shared/pipeline-events';
import type { PipelineSettings } from '../../shared/settings';
import { ChatService } from '../chat/chat-service';
import { LOCAL_CHAT_PATH } from '../chat/local-chat-endpoint';
import { signInSchema, TwitchSignInStore } from '../chat/twitch-sign-in-store';
import type { StreamingLlm } from '../pipeline/conversation';
import type { Logger } from '../pipeline/logger';
import type { TurnRunner } from '../pipeline/turn-runner';
import type { SecretCipher } from '../settings/settings-persistence';
import { isTrustedSender } from './secure-window';

const PAGE = 'preferences.html';

/** The local chat endpoint's bearer token, made once and kept (like the OBS token). */
function localChatToken(): string {
  const store = new Store<{ chatToken?: string }>({ name: 'browser-mode' });
  let token = store.get('chatToken');
  if (!token) {
    token = randomBytes(18).toString('base64url');
    store.set('chatToken', token);
  }
  return token;
}

export interface ChatShellOptions {
  logger: Logger;
  cipher: SecretCipher;
  userData: string;
  settings: PipelineSettings;
}

/**
 * Live chat in the Electron app. Built before the conversation (its LLM is wrapped by the reply
 * moderation) and attached to the runner once that exists; owns the chat panel's IPC, whose
 * handlers accept only the preferences page and validate payloads. The Twitch token goes in
 * through `setSignIn` and never comes back out.
 */
export function createChatShell(options: ChatShellOptions) {
  const { logger } = options;
  const signIn = new TwitchSignInStore({ cipher: options.cipher, logger, cwd: options.userData });
  const localToken = localChatToken();
  let settings = options.settings;
  let service: ChatService | undefined;
  let port: number | undefined;

  const handle = <S extends z.ZodType>(channel: string, schema: S, run: (payload: z.infer<S>) => unknown) =>
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame, PAGE)) throw new Error('not allowed from this page');
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw new Error('invalid request');
      return logger.secrets.redactDeep(run(parsed.data));
    });

  const info = (): ChatPanelInfo => ({
    ...(service?.state() ?? {
      enabled: false,
      paused: false,
      twitch: { state: 'off', channel: '' },
      queue: [],
      answered: 0,
      dropCounts: {},
      recentDrops: [],
    }),
    signedIn: signIn.signIn !== undefined,
    ...(port !== undefined && {
      localEndpointExample:
        `curl -X POST http://127.0.0.1:${port}${LOCAL_CHAT_PATH} -H "Authorization: Bearer ${localToken}" ` +
        `-H "Content-Type: application/json" -d '{"user":"viewer","text":"Kiyo, hello!","priority":0}'`,
    }),
  });

  return {
    /** The conversation's LLM, with answers to chat moderated before they are shown or spoken. */
    llm(inner: StreamingLlm): StreamingLlm {
      return {
        stream: (llmSettings, messages, signal) =>
          (service ? service.moderate(inner) : inner).stream(llmSettings, messages, signal),
      };
    },
    observe(event: PipelineEvent): void {
      service?.observe(event);
    },
    /** The streamer is speaking (the ear hears them): chat answers wait. */
    streamerActive(): void {
      service?.coordinator.streamerActive();
    },
    /** For the browser/OBS server's `extraRoutes`: the local chat endpoint. */
    extraRoutes(req: IncomingMessage, res: ServerResponse): boolean {
      return service?.localEndpoint(req, res) ?? false;
    },
    /** `notifyPreferences` sends to the preferences window, if open. */
    attach(
      runner: TurnRunner,
      serverPort: number | undefined,
      notifyPreferences: (channel: string) => void,
    ): void {
      port = serverPort;
      service = new ChatService({
        settings,
        runner,
        logger,
        localToken,
        signIn: () => signIn.signIn,
        onChange: () => notifyPreferences(CHAT_IPC.changed),
      });
      handle(CHAT_IPC.getState, z.undefined(), () => info());
      handle(CHAT_IPC.control, chatControlSchema, (control): ChatResult => {
        const coordinator = service!.coordinator;
        if (control.action === 'pause') coordinator.setPaused(control.paused);
        else if (control.action === 'skip') coordinator.skip(control.key);
        else if (!coordinator.answerNow(control.key))
          return { ok: false, error: 'That message is no longer waiting.' };
        return { ok: true };
      });
      handle(CHAT_IPC.setSignIn, chatSignInSchema, (input) => {
        const parsed = signInSchema.safeParse(input);
        if (!parsed.success) return { ok: false, error: parsed.error.issues[0]?.message ?? 'not valid' };
        const { persisted } = signIn.set(parsed.data);
        service?.signInChanged();
        return { ok: true, persisted };
      });
      handle(CHAT_IPC.clearSignIn, z.undefined(), () => {
        signIn.clear();
        service?.signInChanged();
        return { ok: true };
      });
    },
    settingsChanged(next: PipelineSettings): void {
      settings = next;
      service?.updateSettings(next);
    },
    close(): void {
      service?.close();
    },
  };
}
