"""Recall and precision of exports.redact on the evasion and false-positive corpora (tests/exports/data).

Redacts each text as a public output does (``exports.public.redact_comment``: the submitter's own name
only when it looks like a personal name, judged against the seed draft's words). Prints, for the evasion corpus, how many cases have every secret masked (recall by case) and how many
masked spans cover a secret (precision by span); for the false-positive corpus, how many texts come out
unchanged. The corpora were written by the people who wrote the detector, so these figures are an
upper bound for what a determined writer can slip past it. The hold-out set was written after the
detector passed the main corpus and measured once before the detector was changed for it: 20/27
evasions masked and 18/18 clean texts unchanged then (see the commit that added it). The contact-variant set
(filter dodges the portal's other detectors recognise) is measured the same way.

Over-redaction on real text: how many spans are masked in the seed draft (every clause, as a comment may quote
it) and in the 9,210 real citizen messages of ../shared/data (none of them should be personal data: their
place names are anonymised, they hold no phone numbers or addresses); -v prints each span.

    .venv/bin/python bench/redaction_corpus.py [-v]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _analysis_data import LABELED, load_labeled

from draft import load_seed
from exports import MemberComment
from exports.public import redact_comment
from tests.exports.redaction_corpus import evasions, false_positives, flatten, holdout, load, seed_vocabulary


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
    unchanged = 0
    for case in clean:
        masked, _ = redact_comment(MemberComment(case.text, name=case.name), vocabulary)
        unchanged += masked == case.text
        if verbose and masked != case.text:
            print(f"  changed {case.id}: {masked}")
    print(f"{label}: evasions {caught}/{len(cases)} fully masked (recall {caught / len(cases):.1%}); "
          f"{true_spans}/{spans} masked spans cover a secret (precision {true_spans / max(spans, 1):.1%}); "
          f"clean texts {unchanged}/{len(clean)} unchanged ({len(clean) - unchanged} wrongly masked)")


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


def main(verbose: bool = False) -> None:
    vocabulary = seed_vocabulary()
    measure("main corpus", evasions(), false_positives(), vocabulary, verbose)
    measure("hold-out set", *holdout(), vocabulary, verbose)
    variants = "redaction_contact_variants.json"
    measure("contact variants", load(variants), load(variants, "clean"), vocabulary, verbose)
    seed = load_seed()
    measure_real("seed draft clauses", [f"{c.heading}\n{c.body}" for c in seed.walk()], vocabulary, verbose)
    if LABELED.exists():
        measure_real("real citizen messages", load_labeled()[0], vocabulary, verbose)
    else:
        print(f"real citizen messages: {LABELED} not found, skipped")


if __name__ == "__main__":
    main(verbose="-v" in sys.argv[1:])
