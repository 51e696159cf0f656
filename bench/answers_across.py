"""How well can a reply in another conversation of the day be told to answer a question?

Reads batch 2 of tests/data/answer_pairs.tsv (strata other-*: a reply the splitter put in
another conversation than the question, drawn from dev files) and prints, weighted to the
population each stratum was drawn from (train_answers.STRATA), the precision and recall of:
- main: the links qa.link_across made when the pairs were drawn (stratum other-linked: the
  answer model over the whole day, kept when the reply shares a content word);
- day: the shipped answer model over the day's messages (positions in the day, as
  link_across sees them), with and without the shared word;
- two-stage: a second logistic regression, over the pairs across conversations, on the
  shipped model's log odds, the shared words and "own" (the most content words the reply
  shares with one of the 5 last messages by others of its own conversation), grouped
  10-fold CV by file; with and without the shared word.

Measured (precision/recall, sampled links that answer): main 0.50/0.19 (45 of 90); day
with the word 0.49/0.19 at 0.3 (main's rule, as expected); two-stage with the word 0.55/0.18
at 0.3, 0.49/0.21 at 0.2; without the word 0.38/0.29 at 0.3. Tried in the pipeline
(link_across deciding each reply across conversations by the two-stage model, the second
stage fitted on these pairs; whole corpus, main 0.563 of the editors' answers linked, 57,578
links): with the word 0.565 at 0.1-0.3 (57,092 links at 0.3); with the word and only replies
within the half hour 0.563 (56,522 links); without the word 0.579 (62,457 links) at 0.3 and
0.571 at 0.4, but of 30 links read that it makes and main does not, 7 answer (0.3, within
the half hour) and 12 (0.4); with the word at 0.3, 8 of 30. answers.tsv stayed 34/57 in all.
Most answers across conversations share no word with the question (7 of the 90 read of
59,180 such pairs answer: some 4,600 answers among 55,000 replies to something else) and
260 pairs are too few to find them; link_across keeps its shared-word rule.

Run: python bench/answers_across.py [ARCHIVE]   (default ../shared/corpus)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_answers import STRATA, labelled_logs, load  # noqa: E402

OWN_CONTEXT, OWN_REACH = 5, 60
"""'own' looks at the reply's own conversation: its last 5 messages by others, among the
day's 60 messages before the reply."""


def across_pairs(archive: Path) -> list[tuple[dict, dict]]:
    """(row, features over the day + "own") for each pair of batch 2, with its "weight"."""
    from collections import Counter

    from chatmine.analyse.replies import Conversation, features

    rows = [r for r in load(strata=None) if r["stratum"].startswith("other-")]
    counts = Counter(r["stratum"] for r in rows)
    unit = STRATA["other-linked"] / counts["other-linked"]
    out = []
    for log, log_rows, words, conversations in labelled_logs(rows, archive):
        group = {id(m): k for k, messages in enumerate(conversations) for m in messages}
        day = Conversation(log.messages, lambda m, words=words: words[id(m)])
        position = {m.line: i for i, m in enumerate(log.messages)}
        for row in log_rows:
            q = log.messages[position[int(row["question_line"])]]
            at = position[int(row["answer_line"])]
            reply = log.messages[at]
            f = features(day, q, reply)
            mine = [
                m for m in log.messages[max(0, at - OWN_REACH):at]
                if group.get(id(m)) == group.get(id(reply)) and m.speaker != reply.speaker
            ][-OWN_CONTEXT:]
            f["own"] = min(max((len(words[id(reply)] & words[id(m)]) for m in mine), default=0), 3)
            weight = STRATA[row["stratum"]] / counts[row["stratum"]] / unit
            out.append((dict(row, weight=weight), f))
    return out


def figures(pairs, linked: list[bool]) -> str:
    answers = sum(r["weight"] for r, _ in pairs if r["label"] == "Y")
    tp = sum(r["weight"] for (r, _), s in zip(pairs, linked) if s and r["label"] == "Y")
    n = sum(r["weight"] for (r, _), s in zip(pairs, linked) if s)
    good = sum(1 for (r, _), s in zip(pairs, linked) if s and r["label"] == "Y")
    return f"{tp / max(n, 1e-9):.2f}/{tp / answers:.2f} ({good} of {sum(linked)})"


def two_stage(pairs) -> list[float]:
    """Grouped 10-fold CV scores of the second stage."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from chatmine.analyse.replies import answer_probability

    p = np.array([answer_probability({k: v for k, v in f.items() if k != "own"}) for _, f in pairs])
    x = np.c_[np.log(p / (1 - p)), [f["shared"] for _, f in pairs], [f["own"] for _, f in pairs]]
    y = np.array([r["label"] == "Y" for r, _ in pairs])
    w = np.array([r["weight"] for r, _ in pairs])
    said = np.zeros(len(pairs))
    for train, test in GroupKFold(10).split(x, groups=[r["source"] for r, _ in pairs]):
        model = LogisticRegression(max_iter=5000).fit(x[train], y[train], sample_weight=w[train])
        said[test] = model.predict_proba(x[test])[:, 1]
    return list(said)


if __name__ == "__main__":
    from chatmine.analyse.replies import answer_probability

    archive = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    pairs = across_pairs(archive)
    word = [f["shared"] > 0 for _, f in pairs]
    print(f"{len(pairs)} pairs across conversations, {sum(r['label'] == 'Y' for r, _ in pairs)} answer")
    print("main (link_across)", figures(pairs, [r["stratum"] == "other-linked" for r, _ in pairs]))
    day = [answer_probability({k: v for k, v in f.items() if k != "own"}) for _, f in pairs]
    second = two_stage(pairs)
    for t in (0.2, 0.3, 0.4):
        for name, said in (("day", day), ("two-stage", second)):
            print(f"{name:9} {t}: any {figures(pairs, [s >= t for s in said])}"
                  f"  with the word {figures(pairs, [s >= t and h for s, h in zip(said, word)])}")
