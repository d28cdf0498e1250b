"""Recall and precision of exports.redact on the evasion and false-positive corpora (tests/exports/data).

Redacts each text as a public output does (``exports.public.redact_comment``: the submitter's own name
only when it looks like a personal name, judged against the seed draft's words). Prints, for the evasion corpus, how many cases have every secret masked (recall by case) and how many
masked spans cover a secret (precision by span); for the false-positive corpus, how many texts come out
unchanged. The corpora were written by the people who wrote the detector, so these figures are an
upper bound for what a determined writer can slip past it. The hold-out set was written after the
detector passed the main corpus and measured once before the detector was changed for it: 20/27
evasions masked and 18/18 clean texts unchanged then (see the commit that added it). The independent hostile set
(h10, session 9) was written by someone who had not read the detector's rules, and measured once before any change:
57/80 cases fully masked, 30/30 clean texts unchanged. Its author's third round, written after fixing the first two
(knowing the rules), measured once before changes for it: 14/28 cases, 20/20 clean texts. A fourth independent set
(h15, session 10), measured once before any change for it: 39/83 cases fully masked, 31/31 clean texts. The contact-variant set
(filter dodges the portal's other detectors recognise) is measured the same way. A false-positive hostile set (h20, session 11,
clean texts only: places, historic buildings, brands named after people), written before reading the name rules and
measured once before any change for it: 73/76 unchanged; after its fixes 76/76, and 49 -> 39 of the real messages below
changed (罗文花海 twice, 明星里8号 twice, six institutions' or estates' numbers no longer masked).

Over-redaction on real text: how many spans are masked in the seed draft (every clause, as a comment may quote
it) and in the 9,210 real citizen messages of ../shared/data (their place names are anonymised and they hold no phone
numbers, but some name officials, teachers and villagers, and some give a flat or a shop's number, which are masked);
-v prints each span.

Cost on hostile input: the slowest of several texts of a comment's maximum length (5,000 characters) made of one
repeated piece (``a . a . …``, digits, spaced digits …), with the median time of an ordinary comment as baseline
(CPU seconds; the machine is shared: compare the ratio). A pattern that backtracks shows as seconds here. The same texts are timed
through advert and off-topic detection (``analysis.noise_reason``), whose patterns read the same contact cues.

    .venv/bin/python bench/redaction_corpus.py [-v]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _analysis_data import LABELED, load_labeled

from analysis import noise_reason
from draft import Draft, load_seed
from exports import MemberComment
from exports.public import redact_comment
from tests.exports.redaction_corpus import (
    clean_h20,
    evasions,
    false_positives,
    flatten,
    holdout,
    hostile_h10,
    hostile_h10_round3,
    hostile_h15,
    load,
    seed_vocabulary,
)


def measure(label: str, cases: list, clean: list, vocabulary: str, verbose: bool) -> None:
    caught = 0
    spans = true_spans = 0
    for case in cases:
        masked, findings = redact_comment(MemberComment(case.text, name=case.name), vocabulary)
        leaks = case.leaks(masked)
        caught += not leaks
        secrets = [flatten(s) for s in case.secrets]
        for f in findings:
            flat = flatten(f.original)
            spans += 1
            true_spans += any(s in flat or (flat and flat in s) for s in secrets)
        if verbose and leaks:
            print(f"  leaked {case.id}: {masked}")
    unchanged = _unchanged(clean, vocabulary, verbose)
    print(f"{label}: evasions {caught}/{len(cases)} fully masked (recall {caught / len(cases):.1%}); "
          f"{true_spans}/{spans} masked spans cover a secret (precision {true_spans / max(spans, 1):.1%}); "
          f"clean texts {unchanged}/{len(clean)} unchanged ({len(clean) - unchanged} wrongly masked)")


def _unchanged(clean: list, vocabulary: str, verbose: bool) -> int:
    """How many clean texts redaction leaves as they are (with ``verbose``, the changed ones printed)."""
    unchanged = 0
    for case in clean:
        masked, _ = redact_comment(MemberComment(case.text, name=case.name), vocabulary)
        unchanged += masked == case.text
        if verbose and masked != case.text:
            print(f"  changed {case.id}: {masked}")
    return unchanged


def measure_clean(label: str, clean: list, vocabulary: str, verbose: bool) -> None:
    unchanged = _unchanged(clean, vocabulary, verbose)
    print(f"{label}: clean texts {unchanged}/{len(clean)} unchanged ({len(clean) - unchanged} wrongly masked)")


def measure_real(label: str, texts: list[str], vocabulary: str, verbose: bool) -> None:
    kinds: Counter[str] = Counter()
    changed = 0
    for text in texts:
        masked, findings = redact_comment(MemberComment(text), vocabulary)
        changed += masked != text
        kinds.update(f.kind for f in findings)
        if verbose:
            for f in findings:
                print(f"  {f.kind}: {f.original!r} in {text[:60]!r}")
    spans = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "none"
    print(f"{label}: {len(texts)} texts, {changed} changed, {sum(kinds.values())} masked spans ({spans})")


#: Pieces repeated to a comment's maximum length (BODY_MAX) in the hostile-cost check.
HOSTILE_PIECES = ["a . ", "a dot ", "a(.)", "a点", "a at b . ", "13", "1 ", "1-", "1 2 ", "1.", "（1）", "@a ", "a#",
                  "微信 a", "Q群 1", "www点", "t.me/a ", "王先生", "联系人",
                  # one character, and the forms the independent hostile pass (h10) added: plates, flats, villages,
                  # names in lists, beside numbers and on signature lines, pairs of pinyin names, PDF line breaks
                  "王", "号", "1", "津A1", "1栋1门", "园1-1-", "村1队", "、王伟", "同事王伟", "王伟 138", "王伟\n",
                  "Li Na and ", "1\n", "护照1", "加我:a", "李红霞教授",
                  # and the h15 pass: country codes, names without a cue or after a relation or 由
                  "+1 2", "00", "赵振宇", "老板王建军让", "由“王建军”提出"]


def measure_cost(pieces: list[str], ordinary: str, length: int = 5000) -> None:
    def seconds(text: str) -> float:
        start = time.process_time()
        redact_comment(MemberComment(text=text), "")
        return time.process_time() - start

    report_cost("hostile cost", seconds, pieces, ordinary, length)


def report_cost(label: str, seconds: Callable[[str], float], pieces: list[str], ordinary: str, length: int) -> None:
    """The median and the slowest three of ``seconds`` over the hostile texts, against an ordinary comment."""
    baseline = statistics.median(seconds(ordinary) for _ in range(5))
    costs = sorted(((seconds((p * (length // len(p) + 1))[:length]), p) for p in pieces), reverse=True)
    print(f"{label}: an ordinary comment {baseline * 1000:.1f} ms; {len(pieces)} {length}-character texts: median "
          f"{statistics.median(s for s, _ in costs):.3f} s, slowest "
          + ", ".join(f"{p!r} {s:.2f} s ({s / baseline:.0f}x)" for s, p in costs[:3]))


def measure_noise_cost(pieces: list[str], ordinary: str, draft: Draft, length: int = 5000) -> None:
    """The same hostile texts through advert and off-topic detection (analysis.noise_reason, with the draft)."""
    def seconds(text: str) -> float:
        start = time.process_time()
        noise_reason(text, draft)
        return time.process_time() - start

    seconds(ordinary)  # the draft's vocabulary is read once per process
    report_cost("hostile cost of noise_reason", seconds, pieces, ordinary, length)


def main(verbose: bool = False) -> None:
    vocabulary = seed_vocabulary()
    measure("main corpus", evasions(), false_positives(), vocabulary, verbose)
    measure("hold-out set", *holdout(), vocabulary, verbose)
    measure("independent hostile set (h10)", *hostile_h10(), vocabulary, verbose)
    measure("h10 round 3 (written knowing the rules)", *hostile_h10_round3(), vocabulary, verbose)
    measure("independent hostile set (h15)", *hostile_h15(), vocabulary, verbose)
    measure_clean("false-positive hostile set (h20)", clean_h20(), vocabulary, verbose)
    variants = "redaction_contact_variants.json"
    measure("contact variants", load(variants), load(variants, "clean"), vocabulary, verbose)
    for label, name in (("pinyin names", "redaction_pinyin.json"), ("pinyin hold-out", "redaction_pinyin_holdout.json")):
        measure(label, load(name), load(name, "clean"), vocabulary, verbose)
    seed = load_seed()
    measure_real("seed draft clauses", [f"{c.heading}\n{c.body}" for c in seed.walk()], vocabulary, verbose)
    if LABELED.exists():
        measure_real("real citizen messages", load_labeled()[0], vocabulary, verbose)
    else:
        print(f"real citizen messages: {LABELED} not found, skipped")
    ordinary = next(c.body for c in seed.walk() if len(c.body) > 100)
    measure_cost(HOSTILE_PIECES, ordinary)
    measure_noise_cost(HOSTILE_PIECES, ordinary, seed)


if __name__ == "__main__":
    main(verbose="-v" in sys.argv[1:])
