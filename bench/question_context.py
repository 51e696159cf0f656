"""Write tests/data/question_context.tsv: what the context stage (chatmine/analyse/asking.py) reads
around each labelled message of tests/data/questions.tsv, so it can be trained and measured
without the corpus, and without copying the conversations (other people's words) into tests/.

For each row: its conversation as the pipeline builds it (threads.split_conversations of the
row's source file in ../shared/corpus), and asking.context_features of its message there (its
own text score is no context feature: whoever reads the file scores questions.tsv's text, and
training scores it out of fold). For the archive's second record of a message
(threads.is_echo), the features are its original's: the pipeline never reads an echo, it finds
its original. The neighbours' text scores come from the shipped question weights: after
retraining them run this, then bench/train_questions.py again (tests/test_qa.py checks both).
Run: python bench/question_context.py [corpus]
"""
from __future__ import annotations

import sys
from pathlib import Path

from eval_questions import DATA, load

from chatmine.analyse import asking

CONTEXT = DATA.parent / "question_context.tsv"
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
HEADER = (
    "# asking.context_features of each message of questions.tsv in its conversation (its own text\n"
    "# score aside), written from ../shared/corpus by bench/question_context.py."
)


def build(corpus: Path = CORPUS) -> dict[tuple[str, int], dict[str, float]]:
    """(source, line) -> the row's context features."""
    from chatmine.read.parse import parse_file
    from chatmine.analyse.threads import is_echo, split_conversations

    rows = load()
    out = {}
    for source in sorted({r["source"] for r in rows}):
        log = parse_file(corpus / source, corpus).log
        conversations = split_conversations(log)
        where = {m.line: (c, i) for c, messages in enumerate(conversations) for i, m in enumerate(messages)}
        for line in sorted({int(r["line"]) for r in rows if r["source"] == source}):
            c, i = where[line]
            messages = conversations[c]
            while i > 0 and is_echo(messages[i], messages[i - 1]):
                i -= 1  # the archive's second record: the pipeline reads its original
            start, end = max(i - asking.BEFORE - 1, 0), i + asking.AFTER + 1
            window = messages[start:end]
            scores = [asking.text_score(m.text) for m in window]
            features = asking.context_features(window, i - start, scores)
            out[(source, line)] = {k: round(v, 4) for k, v in features.items()}
    return out


def read(path: Path = CONTEXT) -> dict[tuple[str, int], dict[str, float]]:
    lines = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    names = lines[0][2:]
    return {(source, int(number)): {k: float(v) for k, v in zip(names, values) if v}
            for source, number, *values in lines[1:]}


def write(context: dict[tuple[str, int], dict[str, float]], path: Path = CONTEXT) -> None:
    """One column a feature; empty where a message has no such feature (`first`, `last`)."""
    names = sorted({k for features in context.values() for k in features})
    lines = [HEADER, "\t".join(["source", "line", *names])]
    for (source, number), features in sorted(context.items()):
        lines.append("\t".join([source, str(number), *(f"{features[k]:g}" if k in features else "" for k in names)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    context = build(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
    write(context)
    print(f"wrote {CONTEXT}: {len(context)} messages in context")
