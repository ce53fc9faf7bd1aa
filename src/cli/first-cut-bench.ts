/**
 * Where and when the first segment is cut: npm run bench:first-cut [-- --json] [--verbose]
 *
 * Streams each reply of FIRST_CUT_REPLIES through the pipeline's text path (emotion tags +
 * segmenter, as a turn does) as a hosted LLM would send it — first token at 300 ms, then 30
 * tokens/s — on a simulated clock, so the 63 replies take milliseconds, not minutes. The
 * first-segment time budget fires at its simulated time, between tokens, as its timer would.
 *
 * Reports how many first segments were cut mid-phrase (not at punctuation, not the whole reply,
 * and not at one of the pauses marked by hand in the reply) and the median time of the first
 * segment. Run a second time with an emotion tag before every reply, to show what the tag's own
 * tokens cost. npm run bench prints the same summary.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tokenize } from '../fakes/tokenize';
import { ReplySegmenter } from '../main/pipeline/reply-segmenter';
import { defaultPipelineSettings, type PipelineSettings } from '../shared/settings';
import { percentile } from '../shared/stats';
import { FIRST_CUT_REPLIES } from './first-cut-replies';

export const FIRST_CUT_TIMING = { ttftMs: 300, tokensPerSecond: 30 } as const;
/** The target: at most this many of the 63 first segments cut mid-phrase. */
export const FIRST_CUT_MID_PHRASE_MAX = 3;
/** Median first-segment time on this set before the pause-aware cut (commit 26d7dc8's segmenter). */
export const FIRST_CUT_MEDIAN_BEFORE_MS = 600;

/** A reply with its hand-marked pauses removed, and where they were (cut positions in `text`). */
export interface AnnotatedReply {
  text: string;
  pauses: Set<number>;
}

export function parseAnnotated(annotated: string): AnnotatedReply {
  const pauses = new Set<number>();
  let text = '';
  for (let i = 0; i < annotated.length; i++) {
    if (annotated[i] !== '|') {
      text += annotated[i];
      continue;
    }
    // "phones | and": one space stays, and the pause is at it (a word cut ends before the space).
    if (text.endsWith(' ') && annotated[i + 1] === ' ') {
      pauses.add(text.length - 1);
      i++;
    } else pauses.add(text.length);
  }
  return { text, pauses };
}

export interface FirstCut {
  /** The first segment's display text. */
  displayText: string;
  /** Simulated ms from the end of input to the first segment's release. */
  atMs: number;
  /** Released by the time budget (not by a boundary, the length limit or the end of the reply). */
  byBudget: boolean;
}

/** Streams `text` token by token on a simulated clock and returns when and where segment 0 was cut. */
export function simulateFirstCut(
  text: string,
  settings: Pick<PipelineSettings, 'streaming' | 'character'>,
  timing: { ttftMs: number; tokensPerSecond: number } = FIRST_CUT_TIMING,
): FirstCut {
  const s = settings.streaming;
  const segmenter = new ReplySegmenter(s, settings.character);
  const tokens = tokenize(text);
  const at = (i: number) => timing.ttftMs + (i * 1000) / timing.tokensPerSecond;
  const budgetAt = s.firstSegmentBudgetMs > 0 ? at(0) + s.firstSegmentBudgetMs : Infinity;
  let budgetFired = false;
  for (let i = 0; i < tokens.length; i++) {
    if (!budgetFired && budgetAt <= at(i)) {
      budgetFired = true;
      const [first] = segmenter.expireFirstSegmentBudget();
      if (first) return { displayText: first.displayText, atMs: budgetAt, byBudget: true };
    }
    const [first] = segmenter.push(tokens[i]!).segments;
    if (first) return { displayText: first.displayText, atMs: at(i), byBudget: false };
  }
  const [first] = segmenter.flush().segments;
  return { displayText: first?.displayText ?? '', atMs: at(tokens.length - 1), byBudget: false };
}

const PAUSE_PUNCTUATION = /[,.;:!?…—–、，。！？；："'”’)\]}」』）】》〉]$/u;

export type CutKind = 'punctuation' | 'whole reply' | 'marked pause' | 'mid-phrase';

/** Where the first segment ends in the reply, judged against the punctuation and the marked pauses. */
export function judgeFirstCut(reply: AnnotatedReply, displayText: string): CutKind {
  const start = reply.text.indexOf(displayText);
  if (start < 0 || displayText === '') return 'mid-phrase';
  const end = start + displayText.length;
  if (end >= reply.text.trimEnd().length) return 'whole reply';
  if (PAUSE_PUNCTUATION.test(displayText)) return 'punctuation';
  return reply.pauses.has(end) ? 'marked pause' : 'mid-phrase';
}

export interface FirstCutRow extends FirstCut {
  language: string;
  kind: CutKind;
  /** The reply with the cut shown as " ‖ ". */
  shown: string;
}

export interface FirstCutSummary {
  replies: number;
  midPhrase: number;
  byBudget: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  rows: FirstCutRow[];
}

export function runFirstCutBench(
  settings: Pick<PipelineSettings, 'streaming' | 'character'> = defaultPipelineSettings(),
  {
    tagged = false,
    timing = FIRST_CUT_TIMING,
  }: { tagged?: boolean; timing?: { ttftMs: number; tokensPerSecond: number } } = {},
): FirstCutSummary {
  const rows: FirstCutRow[] = [];
  for (const [language, replies] of Object.entries(FIRST_CUT_REPLIES)) {
    replies.forEach((annotated, i) => {
      const reply = parseAnnotated(annotated);
      const streamed = tagged ? `[${i % 2 ? 'joy' : 'thinking'}] ${reply.text}` : reply.text;
      const cut = simulateFirstCut(streamed, settings, timing);
      const end = reply.text.indexOf(cut.displayText) + cut.displayText.length;
      rows.push({
        ...cut,
        language,
        kind: judgeFirstCut(reply, cut.displayText),
        shown: `${reply.text.slice(0, end)} ‖ ${reply.text.slice(end).trimStart()}`,
      });
    });
  }
  const times = rows.map((r) => r.atMs);
  return {
    replies: rows.length,
    midPhrase: rows.filter((r) => r.kind === 'mid-phrase').length,
    byBudget: rows.filter((r) => r.byBudget).length,
    medianMs: percentile(times, 50),
    p90Ms: percentile(times, 90),
    maxMs: percentile(times, 100),
    rows,
  };
}

/**
 * What the text path costs on the latency-critical path: every reply streamed token by token
 * (with a tag in front), `rounds` times, each push timed. The forced cuts (Intl.Segmenter runs
 * only then) are inside these figures, with the budget expiring where the simulation puts it.
 */
export function textPathCost(
  settings: Pick<PipelineSettings, 'streaming' | 'character'> = defaultPipelineSettings(),
  rounds = 20,
): { tokens: number; meanUs: number; p99Us: number; maxUs: number } {
  const replies = Object.values(FIRST_CUT_REPLIES)
    .flat()
    .map((r, i) => tokenize(`[${i % 2 ? 'joy' : 'sad'}] ${parseAnnotated(r).text}`));
  const budgetTokens = Math.floor(
    (settings.streaming.firstSegmentBudgetMs * FIRST_CUT_TIMING.tokensPerSecond) / 1000,
  );
  const costs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const tokens of replies) {
      const segmenter = new ReplySegmenter(settings.streaming, settings.character);
      tokens.forEach((token, i) => {
        const start = performance.now();
        if (i === budgetTokens) segmenter.expireFirstSegmentBudget();
        segmenter.push(token);
        costs.push((performance.now() - start) * 1000);
      });
      segmenter.flush();
    }
  }
  const warm = costs.slice(costs.length / rounds); // the first round warms the JIT and ICU
  const mean = warm.reduce((a, b) => a + b, 0) / warm.length;
  return {
    tokens: warm.length,
    meanUs: Math.round(mean * 10) / 10,
    p99Us: percentile(warm, 99),
    maxUs: percentile(warm, 100),
  };
}

export function formatFirstCut(summary: FirstCutSummary, tagged?: FirstCutSummary): string {
  const lines = [
    `first cut  ${summary.replies} replies (en, zh, ja), first token at ${FIRST_CUT_TIMING.ttftMs} ms then ${FIRST_CUT_TIMING.tokensPerSecond} tokens/s, simulated clock`,
    `${''.padEnd(10)} cut mid-phrase ${summary.midPhrase} of ${summary.replies} (target ≤ ${FIRST_CUT_MID_PHRASE_MAX}); ${summary.byBudget} released by the time budget`,
    `${''.padEnd(10)} first segment median ${summary.medianMs} ms (before the pause-aware cut: ${FIRST_CUT_MEDIAN_BEFORE_MS} ms), p90 ${summary.p90Ms} ms, max ${summary.maxMs} ms`,
  ];
  if (tagged)
    lines.push(
      `${''.padEnd(10)} with an emotion tag before every reply: median ${tagged.medianMs} ms, cut mid-phrase ${tagged.midPhrase}`,
    );
  return lines.join('\n');
}

export function firstCutMarks(summary: FirstCutSummary): (readonly [string, boolean])[] {
  return [
    [
      `first segments cut mid-phrase ≤ ${FIRST_CUT_MID_PHRASE_MAX} of ${summary.replies}`,
      summary.midPhrase <= FIRST_CUT_MID_PHRASE_MAX,
    ],
    [
      `first segment median ≤ ${FIRST_CUT_MEDIAN_BEFORE_MS} ms`,
      summary.medianMs <= FIRST_CUT_MEDIAN_BEFORE_MS,
    ],
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } },
  });
  const summary = runFirstCutBench();
  const tagged = runFirstCutBench(defaultPipelineSettings(), { tagged: true });
  const cost = textPathCost();
  if (values.json) {
    const { rows: _rows, ...plain } = summary;
    console.log(
      JSON.stringify({ ...plain, tagged: { medianMs: tagged.medianMs, midPhrase: tagged.midPhrase }, cost }),
    );
  } else {
    console.log(formatFirstCut(summary, tagged));
    // The same replies from a slow local model and a fast one: the budget leads at every speed.
    for (const tokensPerSecond of [12, 100]) {
      const other = runFirstCutBench(defaultPipelineSettings(), { timing: { ttftMs: 300, tokensPerSecond } });
      console.log(
        `${''.padEnd(10)} at ${tokensPerSecond} tokens/s: cut mid-phrase ${other.midPhrase}, median ${other.medianMs} ms, p90 ${other.p90Ms} ms`,
      );
    }
    console.log(
      `${''.padEnd(10)} text path (tags + segmenter) per token: mean ${cost.meanUs} µs, p99 ${cost.p99Us} µs, max ${cost.maxUs} µs (${cost.tokens} tokens)`,
    );
    for (const row of summary.rows) {
      if (values.verbose || row.kind === 'mid-phrase' || row.byBudget)
        console.log(`  ${row.kind.padEnd(12)} ${String(row.atMs.toFixed(0)).padStart(5)} ms  ${row.shown}`);
    }
  }
}
