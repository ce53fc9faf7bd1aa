import { describe, expect, it } from 'vitest';
import { applyUpdate, loadSettings, toStoredDocument } from '../../src/main/settings/settings-persistence';
import { defaultPipelineSettings } from '../../src/shared/settings';
import { fakeCipher } from '../helpers/fake-cipher';

describe('chat settings persist like the others', () => {
  it('a patch from Preferences is applied, stored and read back', () => {
    const patch = {
      chat: {
        enabled: true,
        twitchChannel: 'KiyoStream',
        trigger: 'interval',
        pickIntervalSeconds: 45,
        blocklist: 'badword\n/free\\s*money/',
        links: 'drop',
        streamerFirst: 'wait',
      },
    };
    const result = applyUpdate(defaultPipelineSettings(), patch);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.settings.chat).toMatchObject(patch.chat);
    // Untouched chat settings keep their values.
    expect(result.settings.chat.maxQueueMessages).toBe(10);
    const { document } = toStoredDocument(result.settings, fakeCipher());
    const loaded = loadSettings(JSON.parse(JSON.stringify(document)), fakeCipher());
    expect(loaded.resetFields).toEqual([]);
    expect(loaded.settings.chat).toEqual(result.settings.chat);
  });

  it('refuses bad values with a message naming the setting, and keeps the rest', () => {
    const result = applyUpdate(defaultPipelineSettings(), {
      chat: { twitchChannel: 'has space', viewerCooldownSeconds: -1, twitchServer: 'http://x' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join('\n')).toMatch(/chat\.twitchChannel/);
    expect(result.errors.join('\n')).toMatch(/chat\.viewerCooldownSeconds/);
    expect(result.errors.join('\n')).toMatch(
      /chat\.twitchServer: a chat server address starts with wss:\/\/ or ws:\/\//,
    );
  });

  it('a broken chat value in the file costs only that value', () => {
    const { document } = toStoredDocument(defaultPipelineSettings(), fakeCipher());
    const raw = JSON.parse(JSON.stringify(document));
    raw.pipeline.chat = { ...raw.pipeline.chat, maxQueueMessages: 'lots', enabled: true };
    const loaded = loadSettings(raw, fakeCipher());
    expect(loaded.settings.chat.enabled).toBe(true);
    expect(loaded.settings.chat.maxQueueMessages).toBe(10);
    expect(loaded.resetFields.some((l) => l.startsWith('chat.maxQueueMessages'))).toBe(true);
  });
});
