import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAiServer } from '../../src/fakes/fake-openai-server';
import { originOf } from '../../src/shared/origin';
import { collect, makeConversation, ofType, testLogger } from '../helpers/pipeline-fixture';
import { preferencesService } from '../helpers/preferences-service';
import { useFakes } from '../helpers/use-fakes';

/**
 * The saved key goes only to the origin it was entered for. Both servers demand the key and record
 * every Authorization header, so what each one received is the proof.
 */
const KEY = 'sk-origin-bound-0123456789abcdef';
const fakes = useFakes({ apiKey: KEY });
let other: FakeOpenAiServer;
beforeAll(async () => {
  other = await FakeOpenAiServer.start({ apiKey: KEY, ttftMs: 20, tokensPerSecond: 400 });
});
afterAll(async () => {
  await other.close();
});

const sentKey = (server: FakeOpenAiServer) =>
  server.authorizations.filter((a) => a === `Bearer ${KEY}`).length;

describe('an API key bound to its origin', () => {
  it(
    'after a base URL change Fetch models, Test connection and a turn carry no key, until the user confirms',
    { timeout: 90_000 },
    async () => {
      const conversation = makeConversation(fakes, { tts: { providers: { edge: { timeoutMs: 30_000 } } } });
      const { service } = preferencesService(conversation, testLogger());
      const home = originOf(fakes.llm.url);
      expect(service.updateSettings({ llm: { apiKey: KEY } })).toMatchObject({
        ok: true,
        settings: { llm: { apiKeySet: true, apiKey: '', apiKeyOrigin: home } },
      });
      // At home the key is sent.
      expect(await service.listModels()).toEqual({ ok: true, models: ['kiyo-fake'] });
      expect(await service.testConnection()).toMatchObject({ ok: true });
      expect(sentKey(fakes.llm)).toBe(2);

      // Only the base URL changes (a preset, a typo, a hostile renderer).
      const away = originOf(other.url);
      expect(away).not.toBe(home);
      expect(service.updateSettings({ llm: { baseUrl: other.url } })).toMatchObject({
        ok: true,
        settings: { llm: { apiKeyOrigin: home } },
      });
      const models = await service.listModels();
      const test = await service.testConnection();
      const turn = await collect(conversation.runTurn('hello?'));
      // The requests did reach the other server…
      expect(other.authorizations).toHaveLength(3);
      // …without the key.
      expect(sentKey(other)).toBe(0);
      expect(other.authorizations.every((a) => !a?.includes(KEY))).toBe(true);
      const withheld = `The saved API key is for ${home}, so it was not sent to ${away}. In Preferences → LLM, confirm the saved key for this server or enter its own key.`;
      expect(models).toMatchObject({ ok: false, error: expect.stringContaining(withheld) });
      expect(test).toMatchObject({ ok: false, error: expect.stringContaining(withheld) });
      expect(ofType(turn, 'error')[0]).toMatchObject({
        code: 'llm-auth',
        message: expect.stringContaining(withheld),
      });

      // "Use my saved key with <away>?" — yes.
      expect(service.confirmApiKeyOrigin()).toMatchObject({
        ok: true,
        settings: { llm: { apiKeyOrigin: away } },
      });
      expect(await service.listModels()).toEqual({ ok: true, models: ['kiyo-fake'] });
      expect(await service.testConnection()).toMatchObject({ ok: true });
      const after = await collect(conversation.runTurn('and now?'));
      expect(ofType(after, 'error')).toEqual([]);
      expect(sentKey(other)).toBe(3);
      conversation.close();
    },
  );

  it('a key entered with a new base URL in the same change is bound to that one; removing it unbinds', async () => {
    const conversation = makeConversation(fakes);
    const { service, saved } = preferencesService(conversation, testLogger());
    const before = other.authorizations.length;
    expect(service.updateSettings({ llm: { baseUrl: other.url, apiKey: KEY } })).toMatchObject({ ok: true });
    expect(await service.listModels()).toMatchObject({ ok: true });
    expect(other.authorizations.slice(before)).toEqual([`Bearer ${KEY}`]);
    expect(saved.at(-1)?.llm.apiKeyOrigin).toBe(originOf(other.url));
    expect(service.updateSettings({ llm: { apiKey: null } })).toMatchObject({
      ok: true,
      settings: { llm: { apiKeySet: false, apiKeyOrigin: '' } },
    });
    conversation.close();
  });
});
