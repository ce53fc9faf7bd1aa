/**
 * How much of the next delta fits under the reply cap (llm.maxReplyChars). A server may ignore
 * max_tokens and stream for ever; everything downstream (segments, synthesis, history, the
 * subtitles) is bounded by this one cut. At the cap the text ends at the last word boundary, so
 * the voice never says half a word.
 */
export function fitUnderCap(
  lengthSoFar: number,
  delta: string,
  cap: number,
): { text: string; capped: boolean } {
  const room = cap - lengthSoFar;
  if (delta.length <= room) return { text: delta, capped: false };
  if (room <= 0) return { text: '', capped: true };
  const cut = delta.slice(0, room);
  // Mid-word (the next character continues the word): back up to the last space within the delta.
  if (/\S/.test(delta[room]!) && /\S$/.test(cut)) {
    const space = cut.search(/\s\S*$/);
    return { text: space >= 0 ? cut.slice(0, space) : '', capped: true };
  }
  return { text: cut, capped: true };
}
