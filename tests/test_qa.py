"""Question detection (against the hand-labelled sample), answer linking and titles."""
from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from chatmine.model import Log, Thread
from chatmine.read.parse import parse_text
from chatmine.analyse.qa import find_qa, link_across, looks_like_question, shorten, title_of
from chatmine.analyse.titles import asked_first

DATA = Path(__file__).parent / "data" / "questions.tsv"
HEADER = "---\nlayout: source\ntitle: t\ndate: 2018-01-08 12:00:00\ntag: [chat]\n---\n"


def labelled(split: str) -> list[dict]:
    lines = [line for line in DATA.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = [r for r in csv.DictReader(lines, delimiter="\t") if r["split"] == split]
    for row in rows:
        row["text"] = row["text"].replace("\\n", "\n")
    return rows


def in_context(rows: list[dict]) -> list[bool]:
    """What the pipeline decides of each row: asking.questions_in over the conversation around it
    (its features in tests/data/question_context.tsv, written from the corpus by bench/question_context.py)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from eval_questions import in_context as decide

    return decide(rows)


def figures(rows: list[dict]) -> tuple[float, float, float]:
    said = in_context(rows)
    truth = [r["label"] == "Q" for r in rows]
    tp = sum(s and t for s, t in zip(said, truth))
    precision = tp / sum(said)
    recall = tp / sum(truth)
    return precision, recall, 2 * precision * recall / (precision + recall)


# Figures measured when the rules or the models were last changed; a change that makes any of
# them worse by more than a point fails here. The models are trained on dev, so dev is in-sample
# (its honest figure is bench/train_questions.py --cv: 0.76/0.89/0.817); held is never trained on.
# Each row is read in its conversation, as the pipeline reads it (chatmine/analyse/asking.py): held
# 0.82/0.93/0.871 since a mid-message clause closing on a question word asks (0.81/0.91/0.857
# before; the text alone, questions.looks_like_question: 0.80/0.91/0.852); 0.81/0.92/0.864 since
# the 120 wh-end rows joined dev (the text alone 0.81/0.90/0.850), the same since a request closing
# on thanks, 其实想知道 and a clause opening on 谁能/哪位 ask. near: 360 dev-file messages the text model
# scored between 0.18 and 0.55, around its threshold, never trained on: 0.53/0.55/0.539 (the text
# alone 0.47/0.69/0.56). Trained on, they made held 0.80/0.92/0.854 and found no more of the
# editors' questions (bench/eval_curated.py): the hard cases' own yardstick instead. Since mentions
# of names written shorter name their speaker (speakers.same_name) and the models were retrained:
# near 0.52/0.54/0.527 (0.529/0.545/0.537 before), held unchanged.
@pytest.mark.parametrize(
    "split, precision, recall, f1",
    [("dev", 0.868, 0.965, 0.91), ("held", 0.80, 0.92, 0.86), ("near", 0.51, 0.53, 0.52)],
)
def test_question_detection_on_labelled_sample(split, precision, recall, f1):
    rows = labelled(split)
    assert len(rows) > 100 and sum(r["label"] == "Q" for r in rows) >= 25
    p, r, f = figures(rows)
    assert (p, r, f) >= (precision, 0, 0) and r >= recall and f >= f1, (p, r, f)


def test_the_output_asks_what_the_detector_says_and_discussions_cost_little(corpus: Path):
    """The export's Q&A, read for the labelled held-out messages, agree with the detection
    measured above (the rows' files analysed whole); counting the discussions' openings as
    questions too costs a little precision (held-out F1 0.871 -> 0.849)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from eval_questions import in_output

    rows = labelled("held")
    assert in_output(rows, discussions=False, corpus=corpus) == in_context(rows)
    said = in_output(rows, discussions=True, corpus=corpus)
    truth = [r["label"] == "Q" for r in rows]
    extra = sum(s and not t for s, t in zip(said, truth)) - sum(s and not t for s, t in zip(in_context(rows), truth))
    assert extra <= 8, extra


def test_shipped_question_weights_are_what_training_writes(tmp_path):
    """Changing the labels, the features or the conversations around the labelled messages without
    retraining (bench/train_questions.py) fails here: the text model's and the context stage's."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from train_questions import candidates, fit, fit_context, write_context_weights, write_weights

    from chatmine.analyse import asking
    from chatmine.analyse.questions import WEIGHTS

    rows = candidates(labelled("dev"))
    write_weights(*fit(rows), n=len(rows), path=tmp_path / "w.tsv")
    assert (tmp_path / "w.tsv").read_text(encoding="utf-8") == WEIGHTS.read_text(encoding="utf-8")
    write_context_weights(*fit_context(labelled("dev")), path=tmp_path / "c.tsv")
    assert (tmp_path / "c.tsv").read_text(encoding="utf-8") == asking.WEIGHTS.read_text(encoding="utf-8")


def test_question_context_is_what_the_corpus_gives(corpus: Path):
    """tests/data/question_context.tsv holds what bench/question_context.py reads from the corpus
    now: a change to parsing, conversation splitting or the text model without rewriting it fails here."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from question_context import build, read

    assert read() == build(corpus)


@pytest.mark.parametrize(
    "source, line, asks",
    [
        # "@田浩沛银生宝产品?你在nc？": the text reads as small talk; a reply and the asker's thanks follow.
        ("proddev/2017-06-28-chat.markdown", 77, True),
        # "1.用户基数决定支付量？": the speaker goes on with their own list of points, nobody replies.
        ("prodarch/2017-12-25-chat.markdown", 1837, False),
    ],
)
def test_context_settles_what_the_text_cannot(corpus: Path, source, line, asks):
    """Real messages in their conversations, where the context stage (asking.py) overrides the
    text model, rightly by their labels."""
    from chatmine.analyse.asking import questions_in
    from chatmine.read.parse import parse_file
    from chatmine.analyse.threads import split_conversations

    log = parse_file(corpus / source, corpus).log
    conversations = split_conversations(log)
    messages = next(c for c in conversations if any(m.line == line for m in c))
    at = next(i for i, m in enumerate(messages) if m.line == line)
    assert looks_like_question(messages[at].text) is not asks
    assert questions_in(messages)[at] is asks
    assert next(r for r in labelled("dev") if (r["source"], int(r["line"])) == (source, line))["label"] == "NQ"[asks]


def test_an_echo_is_read_as_its_original():
    thread = _thread(("10:00:00", "Tim", "断直连以后备付金怎么处理？"), ("10:00:00", "Tim-深圳-架构", "断直连以后备付金怎么处理？"),
                     ("10:01:00", "Ann", "走网联"))
    from chatmine.analyse.asking import questions_in

    assert questions_in(thread.messages) == [True, True, False]
    assert [qa.question.speaker for qa in find_qa(thread.messages)] == ["Tim"]


@pytest.mark.parametrize(
    "text",
    ["请教一下，渠道对账平账之后还要再全部对一遍吗", "断直连以后备付金怎么处理？", "有没有做过跨境收单的朋友",
     "@朱文义-廊银-架构师-北京\u2005鉴权和绑卡是一回事吗", "按这意思，银行不能反接三方了",
     "照这么说，银行不能直连三方了", "你们是结算到虚拟账户还是结算至银行账户呢", "想知道现有银行模式的微信支付宝有啥出路",
     "信用卡分期都是等额本息吧", "反洗钱检查都查些什么呀@艾梅-沃支付业务风控",
     "是每个会员都在实体账户下面开立一个子账户，还是借款人汇总一个子账户，出借人一个汇总子账户",
     # A clause closing on a question word in the middle of the message (proddev/2018-06-03:129).
     "冬哥 请问下 第三方支付公司做T+N延时支付，支付后是不是虚账就到账了，收款方能够查询到，只是实账没有到账，不能提现而已",
     # The editors keep these as questions (proddev/2017-12-21:1337, 2017-06-22:1833).
     "这对聚合支付 岂不是冲击非常大", "如果有退货退款的情况发生呢",
     # A wish to know after 其实 (prodarch/2018-02-12:497).
     "其实想知道，以后的ping++发展方向，尤其央行相关政策出台后对ping++有哪些影响"],
)
def test_requests_are_questions(text):
    assert looks_like_question(text)


@pytest.mark.parametrize("text", [
    # A request closing on thanks exclaims nothing; a clause opening on 谁能 asks (proddev/2017-06-23:113).
    # The rules leave it to the model, which scores it 0.33 (threshold 0.36): its context decides.
    "用户积分兑换和用户等级权益设计，谁能给点思路，有点不解，谢谢！",
    "有哪位大侠开发过反洗钱301号文的报表吗？有问题咨询下 谢谢！",
])
def test_the_rules_leave_a_request_closing_on_thanks_to_the_model(text):
    from chatmine.analyse.questions import rule_verdict

    assert not rule_verdict(text).startswith("no")


@pytest.mark.parametrize(
    "text",
    ["是吗？", "有人在吗", "真的吗", "哈哈哈", "什么鬼。。。", "赞????????????", "今晚分享预告，欢迎大家报名", "这不是亿图吗",
     "@田浩沛银生宝产品?回来了吗？", "其实我觉得像java有了netty这种框架后 自己想做什么都可以任意发挥了",
     "终端是一个还是多个就看服务商了", "关键看是结算到虚拟账户还是结算至银行账户",
     "区块链从开始到普及怎么也得五年时间吧", "喝酒喝的吧", "算是比较新的功能吧", "是 就是房产交易吧", "请美女吃饭吧",
     # 指的是 / 是指 defines unless a question follows it ("这里指的是这些账户" answers, proddev/2017-05-17:1913).
     "这里指的是这些账户", "余额是指已到账不可撤消的资金"],
)
def test_reactions_and_asides_are_not(text):
    assert not looks_like_question(text)


def _thread(*messages: tuple[str, str, str]) -> Thread:
    body = "".join(f"> {t}  {s}  \n   \n{x}  \n   \n" for t, s, x in messages)
    log: Log = parse_text(HEADER + body, "g/2018-01-08-chat.markdown").log
    return Thread(id="x", log=log, messages=list(log.messages))


def test_answers_are_other_speakers_and_thanks_resolve():
    thread = _thread(
        ("21:04:47", "廊坊银行-架构师-朱文义", "@李宝-智慧生活-支付架构?，科目账是随着交易同步记账吗？"),
        ("21:10:00", "廊坊银行-架构师-朱文义", "[强]"),
        ("21:16:16", "李宝-智慧生活-支付架构", "@朱文义-廊银-架构师-北京?根据清分规则配置的"),
        ("21:17:00", "王五", "我们也是按规则表配置"),
        ("21:39:01", "廊坊银行-架构师-朱文义", "好，多谢@李宝-智慧生活-支付架构?"),
    )
    [qa] = find_qa(thread.messages)
    assert qa.question.line == thread.messages[0].line
    assert [a.speaker for a in qa.answers] == ["李宝-智慧生活-支付架构", "王五"]
    assert qa.resolved


def test_a_moderators_notice_answers_nothing():
    # prodarch/2018-06-03: the evening's talk announced after a question of the afternoon.
    thread = _thread(
        ("17:40:02", "王平-易宝", "哪位兄台接过苹果应用支付 能麻烦帮忙看看这个报错是什么原因导致的"),
        ("17:42:27", "付云-农业-开发-成都", "没遇到过"),
        ("19:01:20", "程琳Wa-杉德支付-产品-上海", "今天请到一位朋友，@李伟@易宝支付 给大家做分享，主题是 “支付公司退款业务”"
         "开始时间为【21:30】；欢迎欢迎[鼓掌][鼓掌][鼓掌]！（注： 1.嘉宾分享期间其他人不要发言打断嘉宾分享。"),
    )
    [qa] = find_qa(thread.messages)
    assert [a.speaker for a in qa.answers] == ["付云-农业-开发-成都"]


def test_no_notice_answers_or_opens_anything_in_the_corpus(corpus: Path):
    """The 187 notices of the corpus: none is linked as an answer or opens a discussion (42 were
    answers, 9 openings)."""
    from chatmine.analyse.pipeline import analyse
    from chatmine.read.archive import read_archive
    from chatmine.analyse.predicates import is_notice

    logs = read_archive([corpus]).logs
    assert sum(is_notice(m) for log in logs for m in log.messages) >= 150
    qas = [qa for thread in analyse(logs) for qa in thread.qa]
    assert not [qa.question.text for qa in qas if not qa.asks and is_notice(qa.question)]
    assert not [a.text for qa in qas for a in qa.answers if is_notice(a)]


def test_unanswered_question_is_kept():
    thread = _thread(("10:00:00", "张三", "请问银联的日切时间是几点？"))
    [qa] = find_qa(thread.messages)
    assert qa.answers == [] and not qa.resolved


def test_mention_of_asker_links_to_that_question_not_the_latest():
    thread = _thread(
        ("10:00:00", "张三-易宝", "请问网联的对账文件几点出？"),
        ("10:00:30", "李四-银联", "银联的日切是几点呢？"),
        ("10:02:00", "王五-快钱", "@张三-易宝?网联一般早上六点前出对账文件"),
    )
    first, second = find_qa(thread.messages)
    assert [a.speaker for a in first.answers] == ["王五-快钱"]
    assert second.answers == []


def test_mention_of_an_asker_with_two_questions_goes_to_the_one_it_answers():
    # prodarch/2018-04-22: "@胖民工 问题1：线下支付…推广" answers the question on 推广, not the asker's latest.
    thread = _thread(
        ("21:13:57", "胖民工-金信服", "@Kun-线下支付 你们的推广渠道有那些？"),
        ("21:16:00", "胖民工-金信服", "你们的产品需要为客户私有化部署吗？"),
        ("21:18:20", "Kun-汇元银通", "@胖民工-金信服 问题1：线下支付行业不算推广，都是靠发展当地的渠道"),
        ("21:25:25", "Kun-汇元银通", "@胖民工-金信服 产品支持私有化部署"),
    )
    first, second = find_qa(thread.messages)
    assert [a.line for a in first.answers] == [thread.messages[2].line]
    assert [a.line for a in second.answers] == [thread.messages[3].line]


def test_a_quote_reply_answers_the_question_it_quotes():
    # prodarch/2018-02-12: WeChat's quote-reply names the asker and the question as surely as an
    # @mention: it answers the question it quotes, not the one asked since.
    thread = _thread(
        ("19:52:52", "张于刚-支付产品-杭州", "分账退款怎么保障退款资金充足？不足怎么处理？"),
        ("19:58:00", "李四-银联", "请问分账的结算周期一般是多少天？"),
        ("20:01:08", "周萍Juntin", "「 张于刚-支付产品-杭州: 分账退款怎么保障退款资金充足？不足怎么处理？ 」 - - - - - - - - - - "
                                   "- - - - - 目前还没有遇见过不足的情况，分账的退款可以全部由结算账户来负担"),
    )
    first, second = find_qa(thread.messages)
    assert first.answers == [thread.messages[2]] and second.answers == []


def test_a_quote_reply_is_found_by_the_text_it_quotes_and_answers_rather_than_asks():
    # prodarch/2018-02-12: the quote names 毛哥 otherwise (Chester-产品-智付-深圳); its text is his
    # question. An answer quoting a question is no question of its own unless it plainly asks back.
    thread = _thread(
        ("19:48:37", "毛哥", "其实想知道，以后的ping++发展方向，尤其央行相关政策出台后对ping++有哪些影响"),
        ("19:52:52", "张于刚", "分账退款怎么保障退款资金充足？不足怎么处理？"),
        ("20:01:08", "周萍Juntin", "「 张于刚-支付产品-杭州: 分账退款怎么保障退款资金充足？不足怎么处理？ 」 - - - - - - - - - - "
                                   "目前还没有遇见过不足的情况，不过针对跨境退分账的逻辑是这样的：1、如果退款需要从被分账的帐户里面退款，"
                                   "前提就是需要保证里面有钱可退；2、也可以完全在退款请求中不指定退分账"),
        ("20:09:43", "周萍Juntin", "「 Chester-产品-智付-深圳: 其实想知道，以后的ping++发展方向，尤其央行相关政策出台后对ping++有哪些影响 」"
                                   " - - - - - - - - - - 哈，pingxx 以后的发展方向肯定朝着多元化走，以聚合支付为基础衍生更多的产品"),
    )
    future, refund = find_qa(thread.messages)
    assert future.answers == [thread.messages[3]] and refund.answers == [thread.messages[2]]


def test_a_quote_reply_with_its_brackets_mangled_is_read_as_a_quote_reply():
    # proddev/2017-08-07: the speaker answered the audience's questions by quoting them, and the
    # archive has the quote's 「」 as `?`. The reply answers the question it quotes; it asks nothing.
    thread = _thread(
        ("21:40:02", "Josia-风控-北京", "如果正向订单已经结算给商户，退款的钱从哪来？"),
        ("21:41:10", "李玉福@农信互联", "商户的提现现在规则是多少时间到资金户？"),
        ("21:45:31", "讲者", "? Josia-风控-北京: 如果正向订单已经结算给商户，退款的钱从哪来？ ? - - - - - - - - - - - - - - - "
                           "这个问题问得好，这个问题主要是退款资金来源问题。一般商户结算是T+1日，由商户的待结算户结算至商户"),
    )
    assert not looks_like_question(thread.messages[2].text)
    refund, withdraw = find_qa(thread.messages)
    assert refund.answers == [thread.messages[2]] and withdraw.answers == []


def test_an_answer_in_another_conversation_on_the_question_words_is_linked():
    # prodarch/2018-05-22: 贺滔 was talking with 流荒 when he answered 陈秋彬's question; the
    # splitter filed the answer with his own talk. Only a reply on the question's words is taken
    # from another conversation: 流荒's remark shares none.
    thread = _thread(
        ("09:04:20", "陈秋彬-科蓝-产品-深圳", "请问支付宝上的银行卡转账，资金是否有经过支付宝账户呢？"),
        ("09:07:06", "北京一张泽雄", "经过支付宝的备付金账户，但不过个人支付账户"),
        ("09:11:22", "流荒", "@艾梅-沃支付业务风控?壹账通金融科技公司 壹钱包也是公司"),
        ("09:11:44", "陈秋彬-科蓝-产品-深圳", "背后是用的快捷和代付吗？"),
        ("09:13:05", "balance", "银行间转账"),
        ("09:13:14", "balance", "不是快捷和代付"),
        ("09:14:41", "贺滔", "就是直接转到备付金的账户上"),
    )
    day = thread.messages
    conversation = [m for m in day if m.speaker not in ("流荒", "贺滔")]
    qas = find_qa(conversation)
    before = [[a.speaker for a in qa.answers] for qa in qas]
    assert "贺滔" not in before[0]
    link_across(day, qas)
    assert [a.speaker for a in qas[0].answers] == before[0] + ["贺滔"]
    assert "流荒" not in {a.speaker for qa in qas for a in qa.answers}


# proddev/2017-07-06: a statement nobody asked about, and the discussion it opened; the archive's
# editors keep such openings as Q&A.
NO_CARD = (
    ("18:24:34", "龚晓冬-银商账户-产品-上海", "银联后续有个新产品叫做无卡快捷"),
    ("18:24:48", "龚晓冬-银商账户-产品-上海", "有兴趣的可以关注下"),
    ("18:25:11", "龚晓冬-银商账户-产品-上海", "原来的快捷支付叫做无跳转支付"),
    ("18:25:17", "Wall-E 爱贝云计费产品主管", "无卡和快捷认证要素都是一样吧"),
    ("18:25:25", "龚晓冬-银商账户-产品-上海", "在open.unionpay.com都有介绍"),
    ("18:25:46", "大冷-银联国际支付产品", "狭义的无卡支付就是银联网关无卡产品，广义的无卡其实是无卡渠道的交易，银联包装了很多无卡渠道的产品"),
    ("18:26:05", "龚晓冬-银商账户-产品-上海", "嗯，对的"),
    ("18:26:12", "Wall-E 爱贝云计费产品主管", "那无卡和 快捷从产品逻辑上为啥是分开两个的呢，为啥要一个签约一个不签约呢"),
)


def test_a_statement_that_opened_a_discussion_is_kept_with_its_replies():
    thread = _thread(*NO_CARD)
    opening = find_qa(thread.messages[:-1])[0]
    assert (opening.question.text, opening.asks) == ("银联后续有个新产品叫做无卡快捷", False)
    assert [a.speaker for a in opening.answers] == ["Wall-E 爱贝云计费产品主管", "大冷-银联国际支付产品"]
    # A question in the thread names it, not the opening (which question: "无卡和快捷认证要素都是一样吧",
    # a tag question right at the context model's threshold, is one since the models were
    # retrained on mentions resolved by speakers.same_name; answered, it is the title then).
    thread.qa = find_qa(thread.messages)
    asks = [qa.asks for qa in thread.qa]
    assert asks[0] is False and asks[-1] is True and len(asks) <= 3
    assert thread.qa[-1].question.text == "那无卡和 快捷从产品逻辑上为啥是分开两个的呢，为啥要一个签约一个不签约呢"
    assert title_of(thread) in {qa.question.text for qa in thread.qa if qa.asks}


def test_a_statement_nobody_replied_to_or_off_the_subject_opens_no_discussion():
    # Only the speaker's own messages and a reply on other words after it.
    unanswered = _thread(*NO_CARD[:3], ("18:26:30", "大冷-银联国际支付产品", "晚上好，刚下班"))
    assert find_qa(unanswered.messages) == []
    one_reply = _thread(*NO_CARD[:3], NO_CARD[5])
    assert [(qa.question.text, qa.asks) for qa in find_qa(one_reply.messages)] == [("银联后续有个新产品叫做无卡快捷", False)]
    off_subject = _thread(
        ("10:00:00", "张三", "蚂蚁金服帮头条招产品，而且还是在负责人的群里"),
        ("10:01:00", "李四", "蚂蚁金服招产品很正常"),
        ("10:02:00", "王五", "头条招产品也在找蚂蚁金服的人"),
    )
    assert find_qa(off_subject.messages) == []


def test_a_statement_posted_again_opens_one_discussion():
    """proddev/2018-01-15: a job advert posted four times in two minutes, a reply on its words
    after each: one discussion, not four."""
    advert = "海航旗下新生支付跨境支付招人！1、运营，base北京。2、产品经理，国际结算及跨境支付方向，base北京和上海。3、技术，base上海。4、销售，base北京、杭州、深圳。"
    thread = _thread(
        ("17:41:04", "Jin He 何瑾", advert),
        ("17:41:25", "孔晓光-丰瑞祥-技术", "报名+1"),
        ("17:41:39", "Jin He 何瑾", "热烈欢迎"),
        ("17:41:51", "Jin He 何瑾", advert),
        ("17:41:54", "Jin He 何瑾", advert),
        ("17:43:15", "Jin He 何瑾", advert),
        ("17:43:49", "钟", "海航旗下，，我好像面试过海航支付"),
        ("17:44:04", "鸽子", "完全不懂跨境[尴尬]"),
        ("17:44:17", "Jin He 何瑾", "深圳招销售"),
    )
    assert [(qa.question.time, qa.asks) for qa in find_qa(thread.messages)] == [("17:41:04", False)]


def test_title_is_the_question_without_mentions_or_emoji():
    thread = _thread(
        ("10:00:00", "张三", "[呲牙]"),
        ("10:00:01", "李四", "@朱文义-廊银-架构师-北京\u2005请教一下渠道对账平账之后还要再全部对一遍吗？[抱拳]"),
    )
    thread.qa = find_qa(thread.messages)
    assert title_of(thread) == "渠道对账平账之后还要再全部对一遍吗？"


def test_a_mention_whose_separator_was_mangled_is_no_part_of_the_title():
    # proddev/2017-06-09-chat.markdown:1743 and 735: the export wrote U+2005 as ?? after the @.
    assert shorten("@??亚楠?我加你下微信，请教备付金") == "我加你下微信，请教备付金"
    assert shorten("@??项志文-平安互金-产品-深圳?这个支持对公账户收款吗") == "这个支持对公账户收款吗"
    # prodarch/2018-01-26-chat.markdown:541: a Latin name with spaces, its separator mangled to ?.
    assert shorten("@Kylin Rpay MD AUS?你们做的是2C还是2B？") == "你们做的是2C还是2B？"


@pytest.mark.parametrize("question, title", [
    # Questions of the archive (proddev/2017-11-16:131, 2017-11-20:123, 2017-11-27:2323, 2018-06-02:11)
    ("各位大神，请教一个问题，微信和支付宝在绑定银行卡的时候，为什么发出来的验证码是微信的而不是银行的呀",
     "微信和支付宝在绑定银行卡的时候，为什么发出来的验证码是微信的而不是银行的呀"),
    ("大家好，请问大家个问题，用户选择微信或者支付宝按期还款，如何避免用户选择信用卡方式还款啊？",
     "用户选择微信或者支付宝按期还款，如何避免用户选择信用卡方式还款啊？"),
    ("冬哥，这本书适合小白看吗？[呲牙]", "这本书适合小白看吗？"),
    ("大家好，请问关于支付清结算有什么书推荐的吗？", "关于支付清结算有什么书推荐的吗？"),
    # A request or the people asked glued to the question (prodarch/2018-06-05:361, devarch/2018-04-24:9).
    ("请问第三方对接信用卡还款通道有资质要求吗？", "第三方对接信用卡还款通道有资质要求吗？"),
    ("大家支付宝和微信的扫码成功率一般是多少？", "支付宝和微信的扫码成功率一般是多少？"),
    ("请问各位大神一个问题哈，微信支付提供担保交易的功能不？", "微信支付提供担保交易的功能不？"),
    # Greetings and thanks before the question (proddev/2017-07-19:111, 2018-05-04:91).
    ("大家早安！请教一下，会计系统挂账是什么概念？专门有一个会计科目叫挂账吗", "会计系统挂账是什么概念？专门有一个会计科目叫挂账吗"),
    ("谢谢。分账权限是不是要特殊渠道才能申请？", "分账权限是不是要特殊渠道才能申请？"),
    # A connective to what was said before (proddev/2017-05-08, a title of the site's "回答最多").
    ("但是，是否再发放优惠券，属于营销的业务逻辑范畴", "是否再发放优惠券，属于营销的业务逻辑范畴"),
    # The same where the title is the sentence that asks, from a long message (proddev/2017-05-08:1191).
    ("另外，我理解，要分开看  营销账户出账，退款的时候须退回营销账户的钱，这属于支付驱动账会机制。  但是，是否再发放优惠券，属于营销的业务逻辑范畴",
     "是否再发放优惠券，属于营销的业务逻辑范畴"),
    # An aside before the request (proddev/2017-05-13:367, the second result for the question).
    ("吃饭呢吧～我还有一点小问题  支付成功后通道侧记入了 通道待清算 (这是算资产吧借记？)这里是根据交易逐笔登记分录的吧",
     "支付成功后通道侧记入了 通道待清算…"),
    # A request for more (prodarch/2018-04-03 and others: 11 titles of the corpus).
    ("再咨询下，签约验证时候的短信时由银行来发的，还是商家自己发的呢？", "签约验证时候的短信时由银行来发的，还是商家自己发的呢？"),
    # A connective glued to what follows (proddev/2017-06-08, prodarch/2018-02-28 and others: 51 titles).
    ("然后通过哪些方式管理核算这些备付金账户", "通过哪些方式管理核算这些备付金账户"),
    ("或者说结算账户就是单独记录待结算款的？不对应支付账户？", "结算账户就是单独记录待结算款的？不对应支付账户？"),
    ("另外一层是：公司各个业务需要哪种形式的收银台？", "另外一层是：公司各个业务需要哪种形式的收银台？"),
    # Nothing would be left of it: kept whole.
    ("请教个问题，谢谢", "请教个问题，谢谢"),
])
def test_a_title_starts_after_a_request_or_greeting_that_says_nothing_of_the_question(question, title):
    assert shorten(question) == title


@pytest.mark.parametrize("question, title", [
    # A remark, then the question (proddev/2017-06-02, prodarch/2018-03-15:655): the title is the question.
    ("商户只是客户一个业务影子，用户与商户并没有关系，只是客户授权用户去管理商户下的业务。      "
     "如果一个营业执照下面有多个商户，清算需求要到每个商户，这个场景需要怎么处理呢？",
     "如果一个营业执照下面有多个商户，清算需求要到每个商户，这个场景需要怎么处理呢？"),
    ("我只做了业务流水与支付公司的账单对账。你讲解的 【支付公司的账户余额 和 财务的应收】对账我没做，"
     "我理解我只做了信息流的对账，没做资金流的对账。大神这个资金流应该怎么对啊", "大神这个资金流应该怎么对啊"),
    # The opening asks (proddev/2018-04-17:439, 2017-06-01:447): it stays, the follow-up is no title;
    # too long, its asking clause stays with the clauses before it that name the subject.
    ("请问下，网联和银联新无卡的协议支付，能在用户首次签约后，后续由商户主动发起作为代扣使用吗？如果不能的话原因是什么？",
     "网联和银联新无卡的协议支付，后续由商户主动发起作为代扣使用吗？"),
    # An apology and a request are no ask; a request glued to the ask is dropped (proddev, whole-archive site).
    ("不好意思，打扰大家 ，请教一个问题，用银行的app扫二维码，跳转到商户的H5网站，二维码必须是银联的吗？",
     "用银行的app扫二维码，跳转到商户的H5网站，二维码必须是银联的吗？"),
    # A context clause that names nothing gives way to the one naming the subject (proddev/2017-07-11:117).
    ("请教各位大咖们一个问题～ 现在上传备付金核对校验表，都是上传到人总行，会遇到比较多的格式报错，都是怎么处理的呢？",
     "现在上传备付金核对校验表，会遇到比较多的格式报错，都是怎么处理的呢？"),
    # The ask is a clause inside the sentence, the clauses after it fit (prodarch/2018-04-17:361).
    (("请教一下各位，业务场景中有很多大额的交易收款都是来自用户端的银行转账，不是在线支付的方式，有没有既有的方案可以采集到"
      "这批银行交易数据，并和业务订单数据关联，然后落库？"), "有没有既有的方案可以采集到这批银行交易数据，并和业务订单数据关联，然后落库？"),
    ("我们现在有一个业务场景，客户T日提现，T+1才到账。这种账务上应该怎么处理呢？目前有两种方案：（1）T日冻结",
     "我们现在有一个业务场景，客户T日提现，T+1才到账。这种账务上应该怎么处理呢？"),
    # Words listed with spaces are one clause (proddev/2017-07-28:149): picked one by one they made
    # "提现 等各个事件要一一接入 风控 限额 提现 大家有什么好的建议？".
    ("现在我这充值 提现 转账 等各个事件要一一接入 风控  限额  营销平台等下面的后端服务  这样 前端的服务（充值 提现 转账 等）"
     "每次都要接入    有点乱      想在中间加个调度中心  但是一时半会不知道怎么设计  大家有什么好的建议？",
     "提现 转账 等各个事件要一一接入 大家有什么好的建议？"),
])
def test_a_long_title_is_the_sentence_that_asks(question, title):
    assert shorten(question) == title


@pytest.mark.parametrize("question, title", [
    # A request that says it has a question (proddev/2017-06-04-chat.markdown:397, prodarch/2018-03-04:677).
    ("忽然想到一个问题请教一下，京东e卡，应该是属于京东自行发行的单用途卡吧，是属于合规的吗？  但这种预充值的，肯定涉及了资金结算的，那京东是不是就会违规呢？",
     "京东e卡，应该是属于京东自行发行的单用途卡吧，是属于合规的吗？"),
    # A request naming the kind of question, 小 included (proddev/2017-08-03-chat.markdown:61).
    ("问一个技术小问题，大家的系统在记时间戳的时候用的是服务器时间还是会计系统的会计时间",
     "系统在记时间戳的时候用的是服务器时间还是会计系统的会计时间"),
    # The ask is the first clause asking in strong words (有没有), not one holding a 几 ("这几天";
    # proddev/2017-06-04-chat.markdown:585).
    ("请教一个问题，这几天银联二维码很火，有没有同学公司的App接入了银联的，可以像银行App那样绑卡扫银联二维码享受62折扣的？",
     "这几天银联二维码很火，有没有同学公司的App接入了银联的"),
    # An alternative keeps both its choices (devarch/2018-05-03-chat.markdown:281): the clauses naming
    # the subject were taken first and left "…，是立即将钱退回到用户账户，再退回到用户账户？".
    ("再咨询一个问题，提现的时候，如果转账到银行卡失败，是立即将钱退回到用户账户，还是等到对账完成后，再退回到用户账户？",
     "提现的时候，是立即将钱退回到用户账户，还是等到对账完成后，再退回到用户账户？"),
    # A time's colons end no clause (proddev/2017-08-03-chat.markdown:253): "00：00：" was left.
    ("如果交易是23：59：59发起的，到了第二天的00：00：01才收到异步通知，那这交易是算第二天的？对账会不会有问题？",
     "如果交易是23：59：59发起的，那这交易是算第二天的？"),
    # An asking sentence opening on 这 follows the clauses before it that say what it points at
    # (proddev/2017-12-22-chat.markdown:1137, devarch/2018-05-03-chat.markdown:9).
    ("我们是一个停车场云平台公司，我们有一个自己的钱包系统，现在准备做微信的服务商。我们的钱包可以给到车主进行充值，"
     "然后车主可以在我们平台的签约停车场用这个充值进行缴费。 这个我们需要什么资质吗？",
     "我们有一个自己的钱包系统，现在准备做微信的服务商。这个我们需要什么资质吗？"),
    ("咨询个场景记录资金流的问题： 系统有个专门的汇款服务， 其他服务系统通过接口进行汇款操作。 当某服务要求向某账户汇款100"
     "（到账100），汇款服务使用渠道汇款100，同时被收取10的手续费。 这个资金帐用借贷关系怎么记录？",
     "系统有个专门的汇款服务， 同时被收取10的手续费。这个资金帐用借贷关系怎么记录？"),
])
def test_a_long_title_keeps_the_clause_that_asks(question, title):
    assert shorten(question) == title


def test_a_follow_up_is_titled_by_the_question_its_asker_asked_before():
    # prodarch/2018-04-24:549 and 573: the page's question goes on from the asker's own.
    thread = _thread(
        ("18:43:55", "Flugel-Yan", "顺道问下，卡签约有期限吗？"),
        ("18:44:19", "大巍", "快捷？"),
        ("18:46:02", "Flugel-Yan", "也就是说没有期限的？除非用户主动解绑？"),
    )
    first, _, follow_up = thread.messages
    assert asked_first(follow_up, thread.messages) is first and shorten(first.text) == "卡签约有期限吗？"
    assert asked_first(first, thread.messages) is first


def test_a_long_question_keeps_its_ask_and_the_clause_naming_its_subject():
    text = "我们现在做聚合支付，商户进件以后要给每个商户开子商户号，费率也不一样，清算的时候要分润给代理商，这种情况一般怎么设计比较好？"
    short = shorten(text)
    assert len(short) <= 40 and short.endswith("这种情况一般怎么设计比较好？") and short.startswith("我们现在做聚合支付，")


def test_title_skips_a_reaction_for_the_question_that_got_answers():
    thread = _thread(
        ("10:00:00", "张三", "大佬你们在说什么"),
        ("10:00:30", "李四", "网联上线后聚合支付怎么做？"),
        ("10:01:00", "王五", "聚合要走网联或者银联的转接清算"),
    )
    thread.qa = find_qa(thread.messages)
    assert title_of(thread) == "网联上线后聚合支付怎么做？"


def test_editors_digests_questions_found_and_answers_linked(corpus: Path):
    """The archive's editors curated Q&A for some days (wechat/ digests): our pairs against theirs."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from eval_curated import conversation_reasons, evaluate

    from chatmine.analyse.pipeline import analyse
    from chatmine.read.archive import read_archive

    logs = read_archive([corpus]).logs
    threads = analyse(logs)
    figures = evaluate(logs, threads)
    # Numbered (Q4-1：) and unnumbered (Q：) questions: 795 and 1,139 answers (283 and 504 numbered).
    assert figures["questions"] >= 750 and figures["answers"] >= 1000
    # Each miss gets one reason; "other thread" is told apart into another conversation (out
    # of find_qa's reach) and what went wrong inside the same one (bench/eval_curated.py prints them).
    reasons = conversation_reasons(figures["misses"], logs, threads)
    assert len(reasons) == len(figures["misses"]) and "other thread" not in reasons, sorted(set(reasons))
    # same_thread is reported but no target: a long conversation is cut into threads, and its
    # questions are answered across it (threads.split_conversations).
    # linked: 0.542 by conversation, 0.569 with answers on the question's words from other
    # conversations of the day (qa.link_across). found: 0.816 of questions alone, 0.852 with the
    # statements that opened a discussion (asking.opens_discussion), linked then 0.595: all on the
    # numbered questions alone. With the unnumbered too: found 0.800, linked 0.617; 0.850 and
    # 0.648 where one reply on its words makes a statement a discussion's opening (two before).
    # 0.659 with threads.NEXT_REPLY, 0.664 with the rules for 岂不是, 如果…呢 and 是谁…的 (found 0.854).
    assert figures["found"] >= 0.845 and figures["linked"] >= 0.65, figures
    assert 0 < figures["found_as_discussion"] < 0.1, figures


def test_answer_links_read_by_hand(corpus: Path):
    """100 links read by hand (tests/data/answers.tsv, drawn from an earlier build's links): what
    we call an answer should answer. 42 of them did; now more of what is linked answers (0.58 with
    the answer model, 0.54 with the rules before it, 0.43 before those), and most good links stay.
    The answer model never saw these: it is trained on tests/data/answer_pairs.tsv."""
    from chatmine.analyse.pipeline import analyse
    from chatmine.read.archive import read_archive

    lines = (Path(__file__).parent / "data" / "answers.tsv").read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader([line for line in lines if not line.startswith("#")], delimiter="\t"))
    sources = {r["source"] for r in rows}
    logs = [log for log in read_archive([corpus]).logs if log.source in sources]
    answers = {
        (t.log.source, qa.question.line): {a.line for a in qa.answers} for t in analyse(logs) for qa in t.qa
    }
    linked = [r for r in rows if int(r["answer_line"]) in answers.get((r["source"], int(r["question_line"])), ())]
    good = sum(r["label"] == "Y" for r in linked)
    precision, kept = good / len(linked), good / sum(r["label"] == "Y" for r in rows)
    # 35 of 59 good before threads.NEXT_REPLY, 34 of 59 after; 33 of 58 with the models retrained for
    # quote-replies and the rules for thanks, 其实想知道, 谁能 (a link read good, "分级的话，涉及到评分机制…"
    # under "@Allen …这是啥？", proddev/2017-05-10, is no longer linked). 33 of 59 since the dumps naming
    # their speakers are read with them: wechat/2017-05-18 links "国际银行卡组织的标准规范。" (it answers
    # the asker's next question, "3DS2.0，这个是某个文？") to "被利用是指…盗刷？" as well. 33 of 60 since the
    # question model was retrained for the mangled quote-replies: devarch/2018-05-03 links 横烟秋's
    # "不能照搬或者对号入座" (to the P2P 充值 question after) to "下月确认下月交？" as well.
    assert precision >= 0.55 and kept >= 0.78, (precision, kept)


def test_the_answer_model_beats_the_rules_it_replaced(corpus: Path):
    """Grouped 10-fold cross-validation on the 400 pairs read by hand: at the threshold used,
    the model links a larger share of the real answers than the rules did, and more precisely."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from train_answers import cross_validate, load, pair_features

    from chatmine.analyse.replies import ANSWER_THRESHOLD

    pairs = pair_features(load(), corpus)
    # Batch 1's pairs whose question and reply still share a conversation: 4 of the 400 went
    # apart when threads.NEXT_REPLY came in, one more when a quote-reply joined its quoted speaker,
    # three more when mentions of names written shorter came to name their speaker (same_name).
    assert len(pairs) == 392
    figures = cross_validate(pairs, thresholds=(ANSWER_THRESHOLD,))
    model, rules = figures[ANSWER_THRESHOLD], figures["rules"]
    assert model["precision"] >= rules["precision"] + 0.03 and model["recall"] >= rules["recall"] + 0.1, figures


def test_shipped_answer_weights_are_what_training_writes(corpus: Path, tmp_path, monkeypatch):
    """Changing the pairs or the features without retraining (bench/train_answers.py) fails here."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from train_answers import fit, load, pair_features, write_weights

    from chatmine.analyse import replies

    shipped = replies.WEIGHTS.read_text(encoding="utf-8")
    monkeypatch.setattr(replies, "WEIGHTS", tmp_path / "w.tsv")
    pairs = pair_features(load(), corpus)
    write_weights(*fit(pairs), n=len(pairs))
    assert (tmp_path / "w.tsv").read_text(encoding="utf-8") == shipped


@pytest.mark.parametrize("text, plain", [
    # Titles of the whole corpus's most answered threads (the home page lists only plain ones).
    ("网联出来后，是不是商户也可以只连网联？", True),
    ("大家一般是把限额模块放在业务系统还是风控系统呢？", True),
    ("支持他行借记卡还本行贷记卡么", True),
    ("可以分库分表。我们拆分开来会有几十张表dba加个字段都加的累死", False),
    ("退款征询一个基本原则，“原路返回”。就不会错了。收多少退多少，收什么退什么", False),
    ("广州连pos机都没怎么普及...", False),
])
def test_a_title_plainly_asks_or_not(text, plain):
    from chatmine.analyse.titles import plainly_asks

    assert plainly_asks(text) is plain


def test_links_weighted_to_the_read_pairs_population(corpus: Path):
    """The 660 pairs read by hand, each standing for its stratum of every (question, later reply
    of the day) pair: what the pipeline links now answers 0.62 of the time and finds 0.65 of
    the real answers (bench/eval_pairs.py). A splitter or linker that buys one with the other
    fails here."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from eval_pairs import evaluate

    figures = evaluate(corpus)
    assert figures["pairs"] == 660
    assert figures["precision"] >= 0.6 and figures["recall"] >= 0.63, figures


def test_a_title_pointing_at_its_subject_names_the_conversations():
    # prodarch/2017-12-31: "这个有账单日吗？" asked in a conversation on card instalments (分期).
    thread = _thread(
        ("20:15:00", "Codefor-YM", "分期和不分期的收单，银联通道的费率一样吗？"),
        ("20:16:00", "一缕烟缪", "这个分期计息是等额本息方式，还是说有多种计息方式可选？"),
        ("20:17:00", "于江宁", "大部分都是等额本息，极少数个别银行是首次把分期手续费付掉"),
        ("20:18:00", "于江宁", "这个分期是基于各个银行信用卡的，算消费信贷一种"),
        ("20:19:00", "舒俊", "这个有账单日吗？"),
        ("20:20:00", "于江宁", "有的，按信用卡账单日出账"),
    )
    question, answer = thread.messages[4:]
    earlier, thread = thread.messages[:4], replace(thread, messages=[question, answer])
    thread.qa = find_qa(thread.messages)
    assert title_of(thread) == "这个有账单日吗？"
    assert title_of(thread, earlier) == "分期：这个有账单日吗？"
    # Not a word only messages of twenty minutes before named.
    assert title_of(thread, [replace(m, time="19:5" + m.time[4:]) for m in earlier[:3]]) == "这个有账单日吗？"
