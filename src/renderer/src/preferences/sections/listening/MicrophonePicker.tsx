import type { VoiceStatus } from '../../../../../shared/voice-input';
import { SaveStatus } from '../../save-status';

interface Props {
  value: string;
  devices: VoiceStatus['devices'];
  onChange(deviceId: string): void;
}

/**
 * The microphone to listen to, from the devices the overlay reported (a page sees their names
 * only once the microphone has been allowed). A chosen one that is gone stays listed as such.
 */
export function MicrophonePicker({ value, devices, onChange }: Props) {
  const known = value === '' || devices.some((d) => d.deviceId === value);
  return (
    <div className="field" data-setting="listen.deviceId">
      <label htmlFor="listen-device">Microphone</label>
      <select id="listen-device" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">System default</option>
        {devices
          .filter((d) => d.deviceId !== '' && d.deviceId !== 'default')
          .map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || `Microphone ${i + 1}`}
            </option>
          ))}
        {!known && <option value={value}>A microphone that is not connected now</option>}
      </select>
      <p className="hint">
        {devices.length === 0
          ? 'The list fills in once the overlay has listened (turn listening on first).'
          : 'Applies at once; the overlay switches microphones.'}
      </p>
      <SaveStatus owner="listen.deviceId" />
    </div>
  );
}
