import { DROP_REASONS, type DropReason } from '../../../../../shared/chat';
import { useChatPanel } from './use-chat-panel';

const CONNECTION: Record<string, string> = {
  off: 'Twitch: off',
  connecting: 'Twitch: connecting…',
  connected: 'Twitch: connected',
  reconnecting: 'Twitch: reconnecting…',
  failed: 'Twitch: not connected',
};

const age = (at: number) => `${Math.max(0, Math.round((Date.now() - at) / 1000))} s ago`;

/** The queue and its controls, and every drop counted with its reason. */
export function ChatPanel() {
  const { bridge, info, refresh } = useChatPanel();
  if (!bridge) return <p className="hint">The chat panel is available in the Kiyo app.</p>;
  if (!info) return null;
  const control = (c: Parameters<typeof bridge.control>[0]) => void bridge.control(c).then(refresh);
  const drops = Object.entries(info.dropCounts) as [DropReason, number][];
  return (
    <div className="chat-panel" aria-label="Chat queue">
      <p className="hint" data-testid="chat-connection">
        {info.enabled ? CONNECTION[info.twitch.state] : 'Chat answers are off (turn them on below).'}
        {info.enabled && info.twitch.channel && ` (#${info.twitch.channel})`}
        {info.enabled && info.twitch.message && ` — ${info.twitch.message}`}
      </p>
      <label>
        <input
          type="checkbox"
          checked={info.paused}
          onChange={(e) => control({ action: 'pause', paused: e.target.checked })}
        />{' '}
        Pause chat answers
      </label>
      {info.answering && (
        <p data-testid="chat-answering">
          Answering <b>{info.answering.viewer}</b>: {info.answering.text}
        </p>
      )}
      <h3>Waiting ({info.queue.length})</h3>
      {info.queue.length === 0 ? (
        <p className="hint">No message is waiting.</p>
      ) : (
        <ul className="chat-queue">
          {info.queue.map((m) => (
            <li key={m.key} data-testid="chat-queued">
              <b>{m.viewer}</b>{' '}
              <span className="hint">
                ({m.platform}, {age(m.receivedAt)})
              </span>
              : {m.text}{' '}
              <button onClick={() => control({ action: 'answer-now', key: m.key })}>Answer now</button>{' '}
              <button onClick={() => control({ action: 'skip', key: m.key })}>Skip</button>
            </li>
          ))}
        </ul>
      )}
      <h3>Answered {info.answered}; dropped</h3>
      {drops.length === 0 ? (
        <p className="hint">Nothing dropped yet.</p>
      ) : (
        <ul className="chat-drops" data-testid="chat-drop-counts">
          {drops.map(([reason, count]) => (
            <li key={reason}>
              {count} — {DROP_REASONS[reason]}
            </li>
          ))}
        </ul>
      )}
      {info.recentDrops.length > 0 && (
        <details>
          <summary>Recently dropped</summary>
          <ul>
            {info.recentDrops.map((d, i) => (
              <li key={i}>
                <b>{d.viewer}</b>: {d.text} — {DROP_REASONS[d.reason]}
              </li>
            ))}
          </ul>
        </details>
      )}
      {info.localEndpointExample && (
        <details>
          <summary>Send chat from a bot (local endpoint)</summary>
          <p className="hint">
            Bots and bridges on this computer can add messages to the same queue and moderation:
          </p>
          <code className="copyable">{info.localEndpointExample}</code>
        </details>
      )}
    </div>
  );
}
