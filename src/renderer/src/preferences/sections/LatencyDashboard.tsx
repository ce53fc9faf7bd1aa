import { useEffect, useState } from 'react';
import type { PreferencesBridge } from '../../../../shared/preferences-api';
import type { LatencyMarks, TurnLatency } from '../../../../shared/pipeline-events';
import { percentile } from '../../../../shared/stats';
import { outcomeLabel, outcomeOf } from '../latency-outcome';

/** Voice turns only: before the reply's stages, from the end of speech. */
const VOICE_STAGES = [
  { mark: 'speechEndDetected', label: 'End of speech detected', colour: '#b0b0b0' },
  { mark: 'transcriptReady', label: 'Transcript ready', colour: '#e0c040' },
] as const;

/**
 * The stages of "Enter → first sound", each ending at a latency mark; a voice turn's bar starts
 * at the end of speech with the voice stages.
 */
const REPLY_STAGES = [
  { mark: 'llmFirstToken', label: 'LLM first token', colour: '#7c5cff' },
  { mark: 'firstSegment', label: 'First segment', colour: '#3fb5ff' },
  { mark: 'ttsFirstByte', label: 'TTS first byte', colour: '#2ecc8f' },
  { mark: 'firstSamplePlayed', label: 'First sample played', colour: '#ff8a3d' },
] as const;
const STAGES = [...VOICE_STAGES, ...REPLY_STAGES] as const;

/** A voice turn counted from the end of speech (a retried utterance counts from the retry: not one). */
const isVoice = (m: LatencyMarks) => m.speechEndDetected !== undefined;

/**
 * Not a stage: the first sound of any kind (the instant first sound's filler, or else the reply),
 * drawn as a tick on each bar so the reply's own stages keep their meaning.
 */
const FIRST_SOUND = {
  mark: 'firstSound',
  label: 'First sound (filler or reply)',
  colour: '#202020',
} as const;

const SHOWN = 20;

export function LatencyDashboard({ bridge }: { bridge: PreferencesBridge }) {
  const [turns, setTurns] = useState<TurnLatency[]>([]);
  useEffect(() => {
    const load = () => void bridge.getLatency().then(setTurns);
    load();
    return bridge.onChanged((what) => {
      if (what === 'latency') load();
    });
  }, [bridge]);

  const recent = turns.slice(-SHOWN);
  if (recent.length === 0)
    return <p>No replies yet: talk to Kiyo and the breakdown of each reply shows up here.</p>;
  const end = (m: LatencyMarks) =>
    m.firstSamplePlayed ?? m.ttsFirstByte ?? m.firstSegment ?? m.llmFirstToken ?? 0;
  const scale = Math.max(...recent.map(end), 1);
  const width = 560;
  const row = 18;

  return (
    <section>
      <h2>Latency</h2>
      <svg
        role="img"
        aria-label="Latency of recent replies"
        width={width + 200}
        height={recent.length * row + 24}
      >
        {recent.map((m, i) => {
          let from = 0;
          const outcome = outcomeOf(m);
          // A failed, silent or interrupted turn keeps the stages it reached, faded: no "first sound" time.
          return (
            <g
              key={i}
              transform={`translate(0, ${i * row})`}
              data-outcome={outcome}
              opacity={outcome === 'spoken' ? 1 : 0.45}
            >
              {STAGES.map((stage) => {
                const to = m[stage.mark];
                if (to === undefined) return null;
                const x = (from / scale) * width;
                const w = Math.max(1, ((to - from) / scale) * width);
                from = to;
                return <rect key={stage.mark} x={x} y={2} width={w} height={row - 4} fill={stage.colour} />;
              })}
              {m.firstSound !== undefined && (
                <rect
                  data-mark="firstSound"
                  x={(m.firstSound / scale) * width - 1}
                  y={0}
                  width={2}
                  height={row}
                  fill={FIRST_SOUND.colour}
                />
              )}
              <text
                x={(end(m) / scale) * width + 4}
                y={row - 5}
                fontSize={11}
                fill={outcome === 'failed' ? '#c0203b' : undefined}
              >
                {outcomeLabel(m, end(m))}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="legend">
        {[...STAGES, FIRST_SOUND].map((s) => (
          <li key={s.mark}>
            <span style={{ background: s.colour }} /> {s.label}
          </li>
        ))}
      </ul>
      <table aria-label="Latency percentiles">
        <thead>
          <tr>
            <th>Reached after Enter</th>
            <th>p50</th>
            <th>p95</th>
          </tr>
        </thead>
        <tbody>
          {[...REPLY_STAGES, FIRST_SOUND].map((stage) => {
            const values = turns
              .filter((m) => !isVoice(m))
              .map((m) => m[stage.mark])
              .filter((v): v is number => v !== undefined);
            return (
              <tr key={stage.mark} data-mark={stage.mark}>
                <td>{stage.label}</td>
                <td>{values.length ? `${Math.round(percentile(values, 50))} ms` : '–'}</td>
                <td>{values.length ? `${Math.round(percentile(values, 95))} ms` : '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <VoicePercentiles turns={turns.filter(isVoice)} />
      <p className="hint">Last {turns.length} replies. Change a Streaming setting and compare.</p>
    </section>
  );
}

/** Voice turns: each stage reached after the end of speech, ending with the first sample played. */
function VoicePercentiles({ turns }: { turns: LatencyMarks[] }) {
  if (turns.length === 0) return null;
  return (
    <table aria-label="Voice latency percentiles">
      <thead>
        <tr>
          <th>Voice turns: reached after the end of speech</th>
          <th>p50</th>
          <th>p95</th>
        </tr>
      </thead>
      <tbody>
        {[...VOICE_STAGES, ...REPLY_STAGES].map((stage) => {
          const values = turns.map((m) => m[stage.mark]).filter((v): v is number => v !== undefined);
          const label =
            stage.mark === 'firstSamplePlayed' ? 'End of speech → first sample played' : stage.label;
          return (
            <tr key={stage.mark} data-voice-mark={stage.mark}>
              <td>{label}</td>
              <td>{values.length ? `${Math.round(percentile(values, 50))} ms` : '–'}</td>
              <td>{values.length ? `${Math.round(percentile(values, 95))} ms` : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
