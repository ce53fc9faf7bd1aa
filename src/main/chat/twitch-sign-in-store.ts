import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TWITCH_CHAT_SERVER } from '../../shared/chat-settings';
import { writeFileAtomically } from '../files/write-file-atomically';
import type { Logger } from '../pipeline/logger';
import type { SecretCipher } from '../settings/settings-persistence';
import type { TwitchSignIn } from './twitch-chat-source';

/** The origin the sign-in is bound to: Twitch's chat server, nothing else. */
export const TWITCH_ORIGIN = new URL(TWITCH_CHAT_SERVER).origin;

const fileSchema = z.object({
  version: z.literal(1),
  /** base64 ciphertext from SecretCipher.encrypt. */
  token: z.string(),
  clientId: z.string().regex(/^[A-Za-z0-9]*$/),
  origin: z.string(),
});

export const signInSchema = z.object({
  token: z
    .string()
    .trim()
    .transform((t) => t.replace(/^oauth:/, ''))
    .pipe(
      z.string().regex(/^[A-Za-z0-9]{10,100}$/, { message: 'a Twitch token is 10–100 letters and digits' }),
    ),
  clientId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{10,100}$/, { message: 'a client ID is 10–100 letters and digits' }),
});

/**
 * The optional Twitch sign-in (a user token and its client ID), kept apart from the settings in
 * its own file: the token encrypted with the OS keychain (safeStorage, like the API keys) and
 * bound to Twitch's origin. Without secure storage it lives in memory for this session only. It
 * never leaves main: the panel only learns whether one is stored.
 */
export class TwitchSignInStore {
  private current: TwitchSignIn | undefined;
  readonly path: string;

  constructor(private readonly options: { cipher: SecretCipher; logger: Logger; cwd: string }) {
    this.path = join(options.cwd, 'chat-sign-in.json');
    this.current = this.load();
    if (this.current) options.logger.addSecret(this.current.token);
  }

  get signIn(): TwitchSignIn | undefined {
    return this.current;
  }

  /** Stores a new sign-in; returns whether it was persisted (false: this session only). */
  set(signIn: TwitchSignIn): { persisted: boolean } {
    this.options.logger.addSecret(signIn.token);
    this.current = signIn;
    const { cipher } = this.options;
    if (!cipher.isAvailable()) {
      this.options.logger.warn(
        'secure storage is not available: the Twitch sign-in is kept for this session only',
      );
      return { persisted: false };
    }
    const document = {
      version: 1,
      token: cipher.encrypt(signIn.token),
      clientId: signIn.clientId,
      origin: TWITCH_ORIGIN,
    };
    writeFileAtomically(this.path, new TextEncoder().encode(JSON.stringify(document, undefined, '\t')));
    chmodSync(this.path, 0o600);
    return { persisted: true };
  }

  clear(): void {
    this.current = undefined;
    try {
      writeFileAtomically(this.path, new TextEncoder().encode('{}'));
    } catch (error) {
      this.options.logger.warn('could not remove the stored Twitch sign-in', error);
    }
  }

  private load(): TwitchSignIn | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return undefined; // none stored
    }
    try {
      const parsed = fileSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return undefined;
      if (parsed.data.origin !== TWITCH_ORIGIN || !this.options.cipher.isAvailable()) return undefined;
      return { token: this.options.cipher.decrypt(parsed.data.token), clientId: parsed.data.clientId };
    } catch {
      this.options.logger.warn(
        'the stored Twitch sign-in could not be read; enter it again in Preferences → Chat',
      );
      return undefined;
    }
  }
}
