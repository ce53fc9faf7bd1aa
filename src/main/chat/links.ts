/**
 * Links in chat text and in replies. Viewers post links to advertise or to get a scam read out
 * on stream, so a link never reaches the model as is, and Kiyo never says one.
 *
 * Besides scheme:// and www. addresses, a bare domain with a path ("scam.example/x") counts, and
 * one without a path for the common top-level domains ("free-stuff.gg"): chat links are rarely
 * written with a scheme, and "3.5" or "end.Next" must not be taken for one.
 */
const LINK =
  /\b(?:[a-z][a-z\d+.-]*:\/\/\S+|www\.\S+|(?:[a-z\d-]+\.)+[a-z]{2,24}\/\S*|(?:[a-z\d](?:[a-z\d-]*[a-z\d])?\.)+(?:com|net|org|io|gg|tv|ly|co|me|xyz|ru|info|biz|app|dev|link|to|live|site|shop|online|click|us|uk|de)\b(?:\/\S*)?)/giu;

export function hasLink(text: string): boolean {
  LINK.lastIndex = 0;
  return LINK.test(text);
}

export function replaceLinks(text: string, replacement: string): string {
  return text.replace(LINK, replacement);
}
