import { STT_PROVIDER_INFOS, sttProviderInfo } from '../../../../shared/stt-providers/catalog';
import { STT_PRESETS, sttPresetOf } from '../../../../shared/stt-providers/presets';
import {
  detectorHangoverMs,
  LISTEN_MODES,
  PUSH_TO_TALK_STYLES,
  VAD_FRAME_MS,
} from '../../../../shared/voice-input';
import type { SectionProps } from '../PreferencesApp';
import { SettingField } from '../SettingField';
import { SaveStatus } from '../save-status';
import { EarStatusView, useEarStatus } from './listening/EarStatus';
import { MicrophonePicker } from './listening/MicrophonePicker';
import { PushToTalkHint } from './listening/PushToTalkHint';
import { ProviderKeyField } from './voice/ProviderKeyField';

const DETECTION = ['speechThreshold', 'minSpeechMs', 'endSilenceMs', 'preRollMs'] as const;
const BARGE_IN = ['bargeIn', 'bargeInMinSpeechMs', 'showStateOnStream'] as const;

/**
 * Preferences → Listening: the microphone and voice activity detection (used by the overlay's
 * ear), barge-in, and the speech-to-text service that turns what you say into Kiyo's input.
 */
export function ListeningSection({ bridge, settings, save }: SectionProps) {
  const listen = settings.listen;
  const stt = settings.stt;
  const chosen = stt.provider;
  const info = sttProviderInfo(chosen);
  const values = stt.providers[chosen] as Record<string, unknown>;
  const status = useEarStatus(bridge);

  const saveListen = (key: string, value: unknown) => save({ listen: { [key]: value } }, `listen.${key}`);
  const listenField = (key: string, options?: readonly string[]) => (
    <SettingField
      key={key}
      section="listen"
      name={key}
      value={(listen as Record<string, unknown>)[key]}
      options={options}
      onCommit={(value) => saveListen(key, value)}
    />
  );
  const saveStt = (key: string, value: unknown) =>
    save({ stt: { providers: { [chosen]: { [key]: value } } } }, `stt.providers.${chosen}.${key}`);
  const preset = sttPresetOf(values as { baseUrl: string; model: string });
  const keys = Object.keys(info.settings.shape).filter((key) => key !== 'apiKeyOrigin');

  return (
    <section>
      <h2>Listening</h2>
      {listenField('mode', LISTEN_MODES)}
      {listen.mode === 'push-to-talk' && (
        <>
          {listenField('pushToTalkStyle', PUSH_TO_TALK_STYLES)}
          <PushToTalkHint bridge={bridge} listen={listen} />
        </>
      )}
      <MicrophonePicker
        value={listen.deviceId}
        devices={status?.devices ?? []}
        onChange={(deviceId) => void saveListen('deviceId', deviceId)}
      />
      <EarStatusView status={status} />

      <h3>When you are speaking</h3>
      {DETECTION.map((key) => listenField(key))}
      <p className="hint" data-hint="hangover">
        Kiyo decides you have finished {detectorHangoverMs(listen.endSilenceMs)} ms after your last word: the
        detector hears in {VAD_FRAME_MS} ms frames, so the silence above is rounded up to whole frames.
      </p>

      <h3>Interrupting Kiyo</h3>
      {BARGE_IN.map((key) => listenField(key))}
      <p className="hint">
        Echo cancellation keeps most of Kiyo&apos;s own voice out of the microphone; the speech length above
        keeps what is left (and coughs) from interrupting her. With speakers loud and close to the microphone,
        raise it or use headphones.
      </p>

      <h3>Speech to text</h3>
      <div className="field" data-setting="stt.provider">
        <label htmlFor="stt-provider">Service</label>
        <select
          id="stt-provider"
          value={chosen}
          onChange={(e) => void save({ stt: { provider: e.target.value } }, 'stt.provider')}
        >
          {STT_PROVIDER_INFOS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label.charAt(0).toUpperCase() + p.label.slice(1)}
            </option>
          ))}
        </select>
        <SaveStatus owner="stt.provider" />
      </div>
      <div className="field" data-setting="stt.preset">
        <label htmlFor="stt-preset">Preset</label>
        <select
          id="stt-preset"
          value={preset?.id ?? ''}
          onChange={(e) => {
            const next = STT_PRESETS.find((p) => p.id === e.target.value);
            if (next) void save({ stt: { providers: { [chosen]: { ...next.values } } } }, 'stt.preset');
          }}
        >
          <option value="" disabled>
            Custom
          </option>
          {STT_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
        <p className="hint">
          Fills in the base URL and model; a key saved for another server is not sent to the new one.
        </p>
        <SaveStatus owner="stt.preset" />
      </div>
      <div data-provider-form={`stt-${chosen}`}>
        {keys.map((key) => {
          if (key === 'apiKey')
            return (
              <ProviderKeyField
                key={`stt.${chosen}.apiKey`}
                id={`stt-${chosen}`}
                isSet={stt.apiKeysSet[chosen] === true}
                owner={`stt.providers.${chosen}.apiKey`}
                save={(apiKey) => saveStt('apiKey', apiKey)}
              />
            );
          return (
            <SettingField
              key={`stt.${chosen}.${key}`}
              section="stt"
              name={`providers.${chosen}.${key}`}
              value={values[key]}
              onCommit={(value) => saveStt(key, value)}
            />
          );
        })}
      </div>
    </section>
  );
}
