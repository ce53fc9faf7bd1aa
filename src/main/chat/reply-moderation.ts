import { parseBlocklist, type Blocklist } from './blocklist';
import { replaceLinks } from './links';

/**
 * What Kiyo says in answer to chat passes the streamer's blocklist too, and never contains a link
 * (a viewer may have talked the model into repeating one). Applied to each clause's display and
 * spoken text before it is shown or synthesised.
 */
export class ReplyModeration {
  private source = '';
  private blocklist: Blocklist = parseBlocklist('');

  clean(text: string, blocklist: string): string {
    if (blocklist !== this.source) {
      this.source = blocklist;
      this.blocklist = parseBlocklist(blocklist);
    }
    return this.blocklist
      .redact(replaceLinks(text, ''), '…')
      .replace(/[ \t]{2,}/g, ' ')
      .trim();
  }
}
