/**
 * How good a place a forced cut is, for a segment that has to go before its punctuation arrives
 * (the first segment's time budget ran out, or a segment reached its length limit). A speaker
 * pauses before a conjunction, a relative word or a preposition, or after a complete phrase; not
 * after "the", not between a number and its unit, and in Chinese and Japanese never inside a word.
 *
 * Chinese and Japanese have no spaces: their words come from Intl.Segmenter (ICU's dictionary
 * word break, in Node's full ICU), run only when a forced cut is being chosen, never per token.
 */

/** 0: mid-phrase (never, unless nothing else); 1: a word boundary; 2–4: a pause, best last. */
export type PauseStrength = 0 | 1 | 2 | 3 | 4;

/** Strength at or above which a forced cut sounds like a pause. */
export const GOOD_PAUSE: PauseStrength = 3;

const words = (list: string) => new Set(list.split(' '));

const EN_CONJUNCTIONS = words(
  'and but or so because which who whom whose where when while whereas if unless until since although though that than as nor yet once ' +
    'what how why whether whatever whenever wherever',
);
const EN_PREPOSITIONS = words(
  'in on at for from with by over under after before around near into onto through during without within across along behind beside between beyond toward towards till via like about against among despite except inside outside past per upon',
);
/** After these a phrase is still open: "the | store", "to | go", "is | very". */
const EN_OPEN = words(
  'a an the my your his her its our their this these those that some any no every each either neither ' +
    'to of and or but nor so because if than as in on at for from with by about into onto over under ' +
    'is are was were be been being am will would can could should shall may might must do does did have has had ' +
    "very really too quite just not don't can't won't isn't aren't wasn't didn't doesn't i you he she it we they me us them " +
    "i'm you're he's she's it's we're they're i've you've we've i'll you'll i'd you'd there here what how " +
    'such more most less least much many few several one two three four five six seven eight nine ten',
);
const EN_COORDINATORS = words('and but or so because');
/** "sounds | like fun" is mid-phrase. */
const EN_LINKING = words(
  'sound sounds sounded look looks looked feel feels felt seem seems seemed smell smells taste tastes',
);
/** "want | to go" is mid-phrase; "voted | to make" is a pause. */
const EN_BEFORE_INFINITIVE = words(
  'want wants wanted need needs needed have has had going gonna got like likes liked love loved hate try tried trying ' +
    'used able about supposed ought seem seems seemed start started begin began decided decide plan planned hope hoped ' +
    'going trying wanting needing learn learned forget forgot remember remembered',
);

/** What was said or thought follows these: "they say | the servers…". */
const EN_SAYING = words(
  'say says said think thinks thought guess know knew hope bet mean heard read feel felt believe wish promise swear',
);

function bare(word: string): string {
  return word
    .toLowerCase()
    .replace(/^[("'“‘¡¿]+/u, '')
    .replace(/[)"'”’]+$/u, '')
    .replace(/’/g, "'");
}

const NUMBER = /^[$€£¥]?\d[\d.,:x%]*$/u;

/**
 * A cut between two space-separated words. `next` is undefined while the next word may still be
 * growing (it is the last thing received): then only `prev` can be judged.
 */
export function latinPause(prevWord: string, nextWord: string | undefined): PauseStrength {
  const prev = bare(prevWord);
  const next = nextWord === undefined ? undefined : bare(nextWord);
  // "what you're talking about | but…": a preposition before "but" has no object; it ends the clause.
  if (EN_PREPOSITIONS.has(prev) && next !== undefined && EN_COORDINATORS.has(next)) return 4;
  if (EN_OPEN.has(prev)) return 0;
  // "at 8 | p.m.", "3 | gold medals": a number goes with what follows; "for $3 | and" is a pause.
  if (NUMBER.test(prev) || /^[$€£¥]/u.test(prev))
    return next !== undefined && EN_CONJUNCTIONS.has(next) ? 4 : 0;
  if (next === undefined) return EN_SAYING.has(prev) ? 3 : 1;
  if (EN_CONJUNCTIONS.has(next)) return 4;
  if (next === 'to') return EN_BEFORE_INFINITIVE.has(prev) ? 0 : 3;
  if (next === 'like' && EN_LINKING.has(prev)) return 0; // "it sounds | like fun"
  if (EN_PREPOSITIONS.has(next)) {
    // "about 30%", "around 6 a.m." after a verb is a quantity, not a place to pause.
    return next === 'about' ? 2 : 3;
  }
  if (EN_SAYING.has(prev)) return 3; // "the app says | it will be…"
  return 1;
}

const JA_CONJUNCTIVE = words(
  'から ので けど けれど けれども だけど のに たら なら ながら だから し ば ても でも って だって',
);
const JA_PARTICLES = words('は が を に へ と も で まで より では には とは へは でも から');
/** Particles, auxiliaries and inflections: never cut before these ("する|つもり" is fine, "降|った" is not). */
const JA_ATTACHED =
  /^(?:[はがをにへとものでやかねよなわぞさ]|から|まで|より|けど|だ|です|ます|た|て|っ|ない|ず|れ|られ|せ|させ|る|う|よう|そう|らしい|ちゃう|ちゃ|じゃ|たら|ば|な|なん)/u;
const JA_CONJUNCTION_WORDS = words('でも だから それで そして しかし けど だけど じゃないと それに');

const ZH_CONJUNCTIONS = words(
  '但是 可是 不过 因为 所以 然后 而且 并且 如果 虽然 或者 不然 否则 于是 只是 其实 就是 但 而 要是 即使 接着 另外 同时',
);
const ZH_AFTER_CLAUSE = words('的话 时候 以后 之后 以前 之前 的时候');
const ZH_COVERBS = words(
  '在 把 给 跟 对 从 向 被 比 为了 关于 和 与 以及 会 要 能 可以 应该 需要 想 还 也 都 就 才 又 再 正式 一直 已经 一起 先',
);
const ZH_SUBJECTS = words('我 你 他 她 它 我们 你们 他们 她们 大家 这 那 这个 那个 咱们');
/** A modal or adverb leaves the verb phrase open: "会|在下个月" is mid-phrase. */
const ZH_MODALS = words('会 要 能 可以 应该 需要 想 还 也 都 就 才 又 再 还是 先');
/** What was said or thought follows these: "官网上说|服务器…", "我觉得|你…". */
const ZH_SAYING = /(?:说|觉得|认为|知道|听说|发现|希望|记得|以为)$/u;
/** A place phrase ends at its localizer: "在网站上|找到". */
const ZH_LOCALIZERS = words('上 里 中 内 外 下');
const ZH_ATTACHED = /^[的地得了着过们吧呢吗啊啦呀个块度点元岁次]/u;
const ZH_OPEN = /[的地得在把给跟对从向被比和与]$/u;

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** A cut between two words of a Chinese or Japanese run (as Intl.Segmenter split it). */
export function cjkPause(prev: string, next: string, japanese: boolean): PauseStrength {
  if (/^\d/u.test(next) && /\d$/u.test(prev)) return 0;
  if (/\d$/u.test(prev)) return 0; // "3000|个人", "500|円": a number and its unit
  if (japanese) {
    if (JA_CONJUNCTION_WORDS.has(next)) return 4;
    if (JA_ATTACHED.test(next) && !/^\d/u.test(next)) return 0;
    if (prev === 'の') return 0;
    if (JA_CONJUNCTIVE.has(prev)) return 4;
    if (JA_PARTICLES.has(prev) || prev === 'て' || prev === 'で') return 3;
    return 1;
  }
  if (ZH_ATTACHED.test(next) || ZH_OPEN.test(prev) || ZH_MODALS.has(prev)) return 0;
  if (ZH_SUBJECTS.has(prev) && !ZH_CONJUNCTIONS.has(next)) return 0; // subject | verb
  if (ZH_CONJUNCTIONS.has(next) || ZH_AFTER_CLAUSE.has(prev)) return 4;
  if (ZH_SUBJECTS.has(next) || ZH_COVERBS.has(next) || ZH_SAYING.test(prev) || ZH_LOCALIZERS.has(prev))
    return 3;
  return 1;
}

const segmenters = new Map<string, Intl.Segmenter>();
function wordSegmenter(locale: 'ja' | 'zh'): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) segmenters.set(locale, (s = new Intl.Segmenter(locale, { granularity: 'word' })));
  return s;
}

export interface CjkBoundary {
  prev: string;
  next: string;
}

/**
 * Word boundaries of `text` (positions), with the words on either side, where at least one side
 * is Chinese or Japanese. A boundary before the last word is left out unless `complete`: that
 * word may still be growing ("クリアするつ" is "…する|つ" until "もり" arrives).
 */
export function cjkWordBoundaries(
  text: string,
  complete: boolean,
): Map<number, CjkBoundary> & { japanese: boolean } {
  const japanese = KANA.test(text);
  const out = new Map<number, CjkBoundary>() as Map<number, CjkBoundary> & { japanese: boolean };
  out.japanese = japanese;
  const segments = [...wordSegmenter(japanese ? 'ja' : 'zh').segment(text)];
  for (let k = 1; k < segments.length; k++) {
    const prev = segments[k - 1]!.segment;
    const next = segments[k]!.segment;
    if (!complete && k === segments.length - 1) break;
    out.set(segments[k]!.index, { prev, next });
  }
  return out;
}
