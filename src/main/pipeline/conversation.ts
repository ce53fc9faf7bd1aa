import { FILLER_SEGMENT, type PipelineEvent, type TurnEndReason } from '../../shared/pipeline-events';
import { systemPromptOf } from '../../shared/persona';
import type { PipelineSettings } from '../../shared/settings';
import { AsyncQueue } from './async-queue';
import { ConversationHistory } from './history';
import { FirstSound } from './first-sound';
import { formatLatency, LatencyRecorder } from './latency';
import { LlmClient } from './llm-stream';
import type { Logger } from './logger';
import { OrderedSynthesis } from './ordered-synthesis';
import { PipelineError, toPipelineError } from './pipeline-error';
import { phraseCacheOptions } from './phrase-cache-options';
import { fitUnderCap } from './reply-cap';
import { ReplySegmenter, rememberedText } from './reply-segmenter';
import type { TextSegment } from './segmenter';
import { hearInTurn, type VoiceTurnInput } from './stt/voice-turns';
import type { PhraseCacheOptions, TtsEngine } from './tts/tts-engine';

/** What the LLM side of a turn needs; the real one is {@link LlmClient}, tests may pass their own. */
export type StreamingLlm = Pick<LlmClient, 'stream'>;

export interface ConversationOptions {
  settings: PipelineSettings;
  tts: TtsEngine & {
    configure?(settings: PipelineSettings['tts']): void;
    /** The phrase cache's size and what to preload (ProviderTtsEngine with a cache). */
    configurePhrases?(options: PhraseCacheOptions): void;
  };
  logger: Logger;
  llm?: StreamingLlm;
}

/**
 * One character's conversation: runs turns (input → streamed reply → ordered audio) and keeps
 * the bounded history. Settings changes apply from the next turn.
 */
export class Conversation {
  readonly history: ConversationHistory;
  private settings: PipelineSettings;
  private readonly llm: StreamingLlm;
  private readonly tts: ConversationOptions['tts'];
  private readonly logger: Logger;
  private turns = 0;
  /** Remembers the last filler played, so the next turn picks another. */
  private readonly firstSound = new FirstSound();
  /** The newest turn's segments, to correct the history when playback was cut short. */
  private lastTurn:
    | {
        turnId: string;
        input: string;
        segments: TextSegment[];
        /** What the history got when the turn ended: what is kept once every segment was heard. */
        reply: string;
        segmentsHeard?: number;
      }
    | undefined;
  /** A playback-stopped report that arrived before its turn ended; applied when it does. */
  private earlyPlaybackStop: { turnId: string; segments: number } | undefined;

  constructor(options: ConversationOptions) {
    this.settings = options.settings;
    this.tts = options.tts;
    this.logger = options.logger;
    this.llm = options.llm ?? new LlmClient(options.logger);
    this.history = new ConversationHistory(options.settings.character.historyMaxMessages);
    this.logger.addSecret(options.settings.llm.apiKey);
    this.tts.configure?.(options.settings.tts);
    this.tts.warm();
    this.tts.configurePhrases?.(phraseCacheOptions(options.settings));
  }

  get currentSettings(): PipelineSettings {
    return this.settings;
  }

  updateSettings(settings: PipelineSettings): void {
    this.settings = settings;
    this.logger.addSecret(settings.llm.apiKey);
    this.history.setLimit(settings.character.historyMaxMessages);
    this.tts.configure?.(settings.tts);
    this.tts.warm();
    this.tts.configurePhrases?.(phraseCacheOptions(settings));
  }

  close(): void {
    this.tts.close();
  }

  /**
   * The player was stopped after `segments` segments had (at least partly) been heard: the reply is
   * remembered as those, not as everything that was generated or delivered. May arrive before the
   * turn has ended; it is applied when it does.
   */
  playbackStopped(turnId: string, segments: number): void {
    // Two pages may play the turn (the desktop overlay and the OBS page) and both report when
    // stopped: what either of them had played was said, so the larger count is kept.
    const last = this.lastTurn;
    if (!last || last.turnId !== turnId) {
      const early = this.earlyPlaybackStop?.turnId === turnId ? this.earlyPlaybackStop.segments : 0;
      this.earlyPlaybackStop = { turnId, segments: Math.max(early, segments) };
      return;
    }
    this.earlyPlaybackStop = undefined;
    last.segmentsHeard = Math.max(last.segmentsHeard ?? 0, segments);
    this.history.amendLastReply(
      last.input,
      last.segmentsHeard >= last.segments.length
        ? last.reply
        : rememberedText(last.segments.slice(0, last.segmentsHeard)),
    );
  }

  /**
   * A page played the turn's audio to its end: every segment was heard, whatever another page that
   * was stopped partway reports before or after (the OBS page stopped by Escape while the desktop
   * overlay had finished, say).
   */
  playbackFinished(turnId: string): void {
    this.playbackStopped(turnId, Number.MAX_SAFE_INTEGER);
  }

  /**
   * Runs one turn. Aborting `signal` (or leaving the loop early) cancels it: the LLM request is
   * aborted, TTS sockets are closed, and `turn-end` (reason "cancelled") is the last event.
   */
  async *runTurn(
    input: string,
    /** `voice`: a voice turn; `input` is '' and the transcript becomes the input (stt/voice-turns.ts). */
    options: { signal?: AbortSignal; voicePreview?: string; voice?: VoiceTurnInput } = {},
  ): AsyncGenerator<PipelineEvent> {
    const controller = new AbortController();
    const external = options.signal;
    const onAbort = () => controller.abort(external?.reason);
    if (external?.aborted) controller.abort(external.reason);
    external?.addEventListener('abort', onAbort, { once: true });
    // Closed after turn-end, so nothing can follow it.
    const channel = new AsyncQueue<PipelineEvent>();
    const work = this.execute(input, controller, channel, options.voicePreview, options.voice);
    try {
      yield* channel;
    } finally {
      controller.abort();
      await work;
      external?.removeEventListener('abort', onAbort);
    }
  }

  /** `voicePreview` is spoken instead of asking the LLM, and is not remembered. */
  private async execute(
    input: string,
    controller: AbortController,
    channel: AsyncQueue<PipelineEvent>,
    voicePreview?: string,
    voice?: VoiceTurnInput,
  ): Promise<void> {
    const settings = this.settings;
    const { streaming } = settings;
    const signal = controller.signal;
    const turnId = `turn-${++this.turns}`;
    const latency = new LatencyRecorder(voice?.origin);
    const log = this.logger.child(turnId);
    const emit = (event: PipelineEvent) => channel.push(event);

    /** The reply as shown: emotion tags taken out (reply-segmenter.ts). */
    let displayText = '';
    /** Characters received from the LLM, tags included: what the reply cap counts. */
    let received = 0;
    const segments: TextSegment[] = [];
    /** Segments whose audio was all sent out: an interrupted reply is remembered as these. */
    const delivered: TextSegment[] = [];
    let failure: PipelineError | undefined;

    const synthesis = new OrderedSynthesis(
      this.tts,
      { ahead: streaming.synthesisAhead, chunkBytes: streaming.audioChunkBytes, signal },
      {
        audio: (segmentIndex, seq, { data, format }) => {
          latency.mark('firstAudio');
          // The same instant, not a second reading of the clock: without a filler the two are equal.
          latency.set('firstSound', latency.marks.firstAudio!);
          emit({ type: 'audio', turnId, segmentIndex, seq, format, data });
        },
        words: (segmentIndex, words) => emit({ type: 'words', turnId, segmentIndex, words }),
        notice: ({ code, message }) => {
          log.warn(message);
          emit({ type: 'notice', turnId, code, message });
        },
        segmentEnd: (index) => {
          delivered.push(segments[index]!);
          emit({ type: 'segment-end', turnId, index });
        },
        requestSent: (index) => {
          if (index === 0) latency.mark('ttsFirstRequestSent');
        },
        firstByte: (index) => {
          if (index === 0) latency.mark('ttsFirstByte');
        },
      },
    );
    const release = (ready: TextSegment[]) => {
      for (const segment of ready) {
        latency.mark('firstSegment');
        segments.push(segment);
        emit({ type: 'segment', turnId, ...segment });
        if (segment.index === 0) latency.mark('ttsFirstRequest');
        synthesis.add(segment.index, segment.spokenText);
      }
    };

    emit({
      type: 'turn-start',
      turnId,
      input,
      streaming: streaming.enabled,
      inputAt: latency.marks.inputAt,
      ...(voice ? { source: { kind: 'voice' as const } } : {}),
    });
    // Instant first sound: a cached filler if no reply audio has started by the delay (first-sound.ts).
    const disarmFiller =
      voicePreview === undefined
        ? this.firstSound.schedule({
            settings: settings.firstSound,
            sinceInputMs: Date.now() - latency.marks.inputAt,
            replyStarted: () => latency.marks.firstAudio !== undefined || signal.aborted,
            cached: (text) => this.tts.cachedAudio?.(text),
            maxChunkBytes: streaming.audioChunkBytes,
            play: (chunks) => {
              latency.mark('firstSound');
              chunks.forEach(({ data, format }, seq) =>
                emit({ type: 'audio', turnId, segmentIndex: FILLER_SEGMENT, seq, format, data }),
              );
            },
          })
        : () => {};
    const replyText = new ReplySegmenter(streaming, settings.character);
    let budget: NodeJS.Timeout | undefined;
    try {
      // A voice turn's words arrive now; a failed transcription ends the turn with its stt-* error.
      if (voice)
        input = await hearInTurn(voice, {
          signal,
          latency,
          onTranscript: (text) => emit({ type: 'transcript', turnId, text }),
        });
      latency.mark('llmRequest');
      const messages = this.history.requestMessages(systemPromptOf(settings.character), input);
      try {
        const deltas =
          voicePreview === undefined
            ? this.llm.stream(settings.llm, messages, signal)
            : previewDeltas(voicePreview);
        for await (const delta of deltas) {
          if (latency.marks.llmFirstToken === undefined) {
            latency.mark('llmFirstToken');
            if (streaming.enabled && streaming.firstSegmentBudgetMs > 0) {
              budget = setTimeout(
                () => release(replyText.expireFirstSegmentBudget()),
                streaming.firstSegmentBudgetMs,
              );
            }
          }
          const { text: piece, capped } = fitUnderCap(received, delta, settings.llm.maxReplyChars);
          if (piece) {
            received += piece.length;
            const { text, segments: ready } = replyText.push(piece);
            if (text) {
              displayText += text;
              emit({ type: 'text', turnId, delta: text });
            }
            release(ready);
          }
          if (capped) {
            const message = `The reply was stopped after ${settings.llm.maxReplyChars} characters, the most one reply may have (Preferences → LLM → max reply).`;
            log.warn(message);
            emit({ type: 'notice', turnId, code: 'reply-truncated', message });
            break; // leaving the loop ends the LLM stream, which aborts its request
          }
        }
      } catch (error) {
        // What arrived before an LLM failure is still spoken; the error follows it.
        if (!signal.aborted) failure = toPipelineError(error);
      } finally {
        clearTimeout(budget);
      }
      latency.mark('llmEnd');
      if (replyText.droppedTags.length > 0)
        log.info(
          `Left out tags that are not in Preferences → Character → emotion tags: ${replyText.droppedTags.join(' ')}`,
        );
      if (!signal.aborted) {
        const rest = replyText.flush();
        if (rest.text) {
          displayText += rest.text;
          emit({ type: 'text', turnId, delta: rest.text });
        }
        release(rest.segments);
        synthesis.finish();
        await synthesis.done;
      }
    } catch (error) {
      if (!signal.aborted) {
        failure ??= toPipelineError(error);
        controller.abort();
      }
    } finally {
      disarmFiller();
      await synthesis.settled();
    }

    const reason: TurnEndReason = failure ? 'error' : signal.aborted ? 'cancelled' : 'complete';
    // An interrupted or failed reply is remembered as what was actually delivered.
    // The history keeps the reply's emotion tags (reply-segmenter.ts: historyText says why).
    const reply = reason === 'complete' ? replyText.historyText : rememberedText(delivered);
    // A voice turn whose words never arrived has nothing to remember.
    if (voicePreview === undefined && input !== '') {
      this.history.addExchange(input, reply);
      this.lastTurn = { turnId, input, segments, reply };
      if (this.earlyPlaybackStop?.turnId === turnId)
        this.playbackStopped(turnId, this.earlyPlaybackStop.segments);
    }
    if (reason === 'complete' && segments.length === 0) {
      // Silence and no word would look like a hang: say that the reply had nothing to speak.
      const message = displayText.trim()
        ? 'The reply had nothing that can be spoken (only emoji, symbols or stage directions).'
        : 'The reply was empty.';
      log.info(message);
      emit({ type: 'notice', turnId, code: 'reply-unspeakable', message });
    }
    if (failure) {
      log.error(`${failure.code}: ${failure.message}`);
      emit({
        type: 'error',
        turnId,
        code: failure.code,
        message: failure.message,
        retryable: failure.retryable,
      });
    }
    latency.mark('turnEnd');
    const marks = latency.snapshot();
    log.info(`${reason} in ${segments.length} segment(s); ${formatLatency(marks)}`);
    emit({
      type: 'turn-end',
      turnId,
      reason,
      text: displayText,
      spokenText: delivered.map((s) => s.spokenText).join(' '),
      latency: marks,
    });
    channel.close();
  }
}

async function* previewDeltas(text: string): AsyncGenerator<string> {
  yield text;
}
