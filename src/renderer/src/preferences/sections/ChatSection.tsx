import { CHAT_TRIGGERS, LINK_HANDLING, STREAMER_FIRST_MODES } from '../../../../shared/chat-settings';
import type { ChatSettings } from '../../../../shared/chat-settings';
import { SettingField } from '../SettingField';
import type { SectionProps } from '../PreferencesApp';
import { ChatPanel } from './chat/ChatPanel';
import { TwitchSignIn } from './chat/TwitchSignIn';

type Key = keyof ChatSettings;

const GROUPS: { title: string; keys: Key[] }[] = [
  { title: 'Sources', keys: ['enabled', 'twitchChannel', 'twitchServer', 'postAnswers'] },
  {
    title: 'What Kiyo answers',
    keys: [
      'trigger',
      'command',
      'pickIntervalSeconds',
      'priorityModerators',
      'prioritySubscribers',
      'priorityBitsMin',
      'viewerCooldownSeconds',
      'maxQueueMessages',
      'staleSeconds',
    ],
  },
  {
    title: 'Moderation',
    keys: ['maxMessageChars', 'links', 'blocklist', 'repeatWindowSeconds', 'viewerMaxPerMinuteMessages'],
  },
  { title: 'The streamer first', keys: ['streamerFirst', 'streamerQuietSeconds'] },
];

const OPTIONS: Partial<Record<Key, readonly string[]>> = {
  trigger: CHAT_TRIGGERS,
  links: LINK_HANDLING,
  streamerFirst: STREAMER_FIRST_MODES,
};

/**
 * Preferences → Chat: the live chat panel (queue, answer now / skip / pause, what was dropped and
 * why) above the chat settings, each with its unit and explanation from the schema.
 */
export function ChatSection({ settings, save }: SectionProps) {
  const chat = settings.chat;
  return (
    <section>
      <h2>Chat</h2>
      <ChatPanel />
      {GROUPS.map((group) => (
        <fieldset key={group.title}>
          <legend>{group.title}</legend>
          {group.keys.map((key) => (
            <SettingField
              key={key}
              section="chat"
              name={key}
              value={chat[key]}
              multiline={key === 'blocklist'}
              options={OPTIONS[key]}
              onCommit={(value) => save({ chat: { [key]: value } }, `chat.${key}`)}
            />
          ))}
          {group.title === 'Sources' && <TwitchSignIn />}
        </fieldset>
      ))}
    </section>
  );
}
