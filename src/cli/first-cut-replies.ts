/**
 * The first-cut benchmark's replies: 21 each in English, Chinese and Japanese, as a companion
 * would answer — short exclamations, numbers, abbreviations, URLs, prices, and first sentences
 * too long to wait for their punctuation. Where a first clause runs long, `|` marks where a
 * speaker could pause (before a conjunction, preposition or relative word, after a complete
 * phrase; in Chinese and Japanese after a complete phrase or particle). The marks were written by
 * hand, by ear, not by the segmenter's rules; they are removed before the text is streamed, and a
 * forced cut that lands anywhere else counts as a cut mid-phrase.
 *
 * In English a mark stands between spaces ("phones | and"): the pause is the space before the
 * next word. In Chinese and Japanese it stands between two characters.
 */
export const FIRST_CUT_REPLIES: Record<'en' | 'zh' | 'ja', string[]> = {
  en: [
    "Hehe, you're finally here! I was starting to think you forgot about me.",
    'Okay so | the new update | makes the app about 30% faster | on older phones | and fixes the crash | that happened | when you uploaded long videos. Pretty cool, right?',
    "Dr. Tanaka said the appointment is at 3:30 p.m. on Friday, so don't be late this time!",
    'You can find the full schedule | on https://kiyo.example.com/schedule, and the archive is there too.',
    "The café around the corner | sells a small coffee | for $3 | and charges only $5 | for large size. That's a steal!",
    "Streaming platforms | are investing heavily | in short video applications | and services. I think that's where everyone is going.",
    'Hmm, let me think about that for a second.',
    'I read | that the U.S. team | won 3 gold medals | in the 4x100 m relay | over the last 10 years | which is kind of amazing | if you ask me.',
    'Wait, really? You finished the whole book in one night?',
    'My favourite snacks | are strawberry daifuku | and those tiny chocolate cookies | that come in the blue box | from the convenience store | near the station.',
    'Sure! Version 2.5.1 came out on Jan. 12 and it fixed the login bug.',
    "If you want to join the tournament | you need to sign up | before Friday at 8 p.m. | on the official website | and pick a team name | that isn't rude.",
    'Good morning, sleepyhead! Did you dream about me again?',
    "Honestly | the best part of today's stream | was | when chat voted | to make me sing the opening song | in a pirate voice | for 10 minutes straight.",
    'That costs about ¥1,200, or roughly $8, depending on the exchange rate.',
    'Nope. Not happening. Ask me again tomorrow.',
    'The weather app says | it will be 25°C and sunny | all weekend | so we should definitely go | to the beach | or at least the park | by the river.',
    'e.g. cats, dogs and hamsters are all fine, but please no spiders.',
    'I just checked www.example.org | and they say | the servers will be back online | around 6 a.m. Tokyo time.',
    "Thank you so much for the 500 bits, Mika! You're the best.",
    'Let me explain | how the points system works | because a lot of new viewers | have been asking about it | in the chat today.',
  ],
  zh: [
    '嘿嘿，你终于来啦！我还以为你把我忘了呢。',
    '这个视频应用的新版本|会在下个月初|正式上线|并且|支持更多的语言|和字幕格式。',
    '大杯咖啡只要5块钱|小杯要3块5|所以当然|买大杯|更划算啦！',
    '早上好呀，小懒虫！昨晚睡得好吗？',
    '我刚刚看了一下天气预报|明天最高气温|有32度|我们还是|待在家里|打游戏吧。',
    '你可以在 https://kiyo.example.com 上|找到完整的直播时间表。',
    '好的！那我们先从第一关开始吧。',
    '其实|我一直觉得|你唱歌的时候|声音特别好听|只是|你自己|不太相信而已。',
    '这个月的会员费是25元，比上个月便宜了10%。',
    '哇，真的吗？你一个晚上就看完了整本书？',
    '如果明天下雨的话|我们就改成|在室内|玩桌游|或者|一起看电影|怎么样？',
    '我最喜欢的零食是草莓大福，还有便利店卖的那种小饼干。',
    '嗯……让我想想。',
    '谢谢你送的500个礼物，小明！你真是太好了。',
    '昨天直播的时候|有超过3000个人|同时在线|这是|我们频道|有史以来|最高的纪录。',
    '别担心，慢慢来就好。',
    '新活动从12月1日开始，一直持续到12月31日。',
    '我觉得|你应该先把作业写完|然后再|跟我一起|玩游戏|不然|老师又要|生气了。',
    '哈哈，你又输了！再来一局？',
    '官网 www.example.cn 上说|服务器|会在今晚11点|恢复正常。',
    '今天的天气特别好，我们晚点可以计划去外面走走。',
  ],
  ja: [
    'やっと来てくれたね！忘れられちゃったかと思ったよ。',
    '今日は|絶対に|次のステージを|全部|クリアするつもりだから|最後まで|応援してくれると|嬉しいな！',
    'おはよう、ねぼすけさん！よく眠れた？',
    'このケーキは|一個500円だけど|三個買うと|1200円になるから|絶対にお得だよ。',
    '詳しいスケジュールは|https://kiyo.example.com に載ってるよ。',
    'うーん、ちょっと考えさせて。',
    '昨日の配信で|チャットのみんなが|私に|海賊の声で|オープニングの曲を|歌わせたのが|一番面白かったな。',
    '本当に？一晩で全部読んじゃったの？',
    '明日雨が降ったら|おうちで|ボードゲームをするか|映画を見るか|どっちがいい？',
    'ありがとう、ミカちゃん！500ビッツもくれるなんて最高だよ。',
    '新しいイベントは12月1日から31日までだよ。',
    '私の好きなお菓子は|いちご大福と|駅前のコンビニで|売ってる|小さいチョコクッキーなんだ。',
    '心配しないで、ゆっくりでいいよ。',
    'サーバーは|日本時間の|午前6時ごろに|復旧する予定だって|公式サイトに|書いてあったよ。',
    'あはは、また負けちゃったね！もう一回やる？',
    'このゲームの|新しいアップデートで|古いスマホでも|30%くらい|速く動くようになったらしいよ。',
    'えっと、それは秘密だよ。',
    '会員費は月500円で、年払いなら5000円だよ。',
    '宿題を|先に終わらせてから|一緒に|ゲームをしようね|じゃないと|先生に|怒られちゃうよ。',
    'わあ、すごい！本当に一人で作ったの？',
    '今日はすごくいい天気だから、あとで外に出かけようか。',
  ],
};
