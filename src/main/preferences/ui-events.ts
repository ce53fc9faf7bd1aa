import type { PipelineEvent } from '../../shared/pipeline-events';
import { ERROR_MESSAGES, NOTICE_MESSAGES } from '../../shared/plain-messages';
import type { RecentProblems } from './recent-problems';

/**
 * An event as the windows and the OBS page get it: an error or notice carries the short plain
 * sentence for its code, and its technical message (already in the log) is kept in `problems`
 * for Preferences → Advanced. Every other event passes unchanged (the same object).
 */
export function forUi(event: PipelineEvent, problems: RecentProblems): PipelineEvent {
  if (event.type === 'error') {
    const message = ERROR_MESSAGES[event.code];
    problems.record(message, `${event.code}: ${event.message}`);
    return { ...event, message };
  }
  if (event.type === 'notice') {
    const message = NOTICE_MESSAGES[event.code];
    if (event.code === 'tts-offline') problems.record(message, `${event.code}: ${event.message}`);
    return { ...event, message };
  }
  return event;
}
