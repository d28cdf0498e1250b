"""Shared data builders for the analysis benchmarks (bench/cluster_quality.py, bench/analysis_scale.py)."""

from __future__ import annotations

import csv
import os
import random
import re
import resource
import threading
import time
from pathlib import Path
from typing import Self

REPO = Path(__file__).resolve().parents[1]


def shared_data(name: str) -> Path:
    """``../shared/data/NAME`` beside the repository, or beside any folder above it (a worktree under
    /work/wt/NAME reads /work/shared/data); the first candidate when none exists, for the error message."""
    candidates = [parent / "shared" / "data" / name for parent in REPO.parents]
    return next((c for c in candidates if c.exists()), candidates[0])


LABELED = shared_data("messages_titles_labeled.csv")
CLAUSE_COMMENTS = REPO / "bench" / "data" / "analysis_clause_comments.tsv"

OPENINGS = ["尊敬的领导：", "您好！", "各位领导好，", "关于征求意见稿，我们提出以下意见：", ""]
CLOSINGS = ["恳请采纳！", "谢谢！", "望领导重视。", "以上意见请予考虑。", ""]
PUNCT_SWAPS = [("。", "！"), ("，", ","), ("。", "."), ("？", "?"), ("，", "、")]


def load_labeled(path: Path = LABELED) -> tuple[list[str], list[str]]:
    if not path.exists():
        raise SystemExit(f"labeled data not found: {path} (expected ../shared/data next to the repository)")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def long_comments(texts: list[str], labels: list[str], n: int, rng: random.Random,
                  lo: int = 100, hi: int = 500) -> tuple[list[str], list[str]]:
    """Comments of lo–hi characters: an opening, titles joined as sentences (three quarters from the comment's
    label, the rest from any label), a closing."""
    by_label: dict[str, list[str]] = {}
    for t, y in zip(texts, labels):
        by_label.setdefault(y, []).append(t.rstrip("。！？!?"))
    names = sorted(by_label)
    out, truth = [], []
    while len(out) < n:
        label = names[len(out) % len(names)]
        target = rng.randint(lo, hi)
        parts = [rng.choice(OPENINGS)]
        while sum(map(len, parts)) < target - 10:
            # Mostly on topic, but a real long comment wanders: a quarter of its sentences from other labels.
            source = label if rng.random() < 0.75 else rng.choice(names)
            parts.append(rng.choice(by_label[source]) + rng.choice(["。", "，", "；", "！"]))
        parts.append(rng.choice(CLOSINGS))
        text = "".join(parts)[:hi]
        if len(text) >= lo:
            out.append(text)
            truth.append(label)
    return out, truth


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?；])", text) if s]


def _edit(text: str, rng: random.Random) -> str:
    """Up to 5 % of the characters replaced, inserted or deleted, then some punctuation swapped."""
    chars = list(text)
    for _ in range(int(len(chars) * rng.uniform(0.0, 0.05))):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            chars[i] = rng.choice("的了和与在我是有这那也就都")
        elif op < 0.7:
            chars.insert(i, rng.choice("很更也都还真"))
        elif len(chars) > 10:
            del chars[i]
    text = "".join(chars)
    for a, b in PUNCT_SWAPS:
        if rng.random() < 0.3:
            text = text.replace(a, b)
    return text


def mutate(template: str, rng: random.Random, filler: list[str]) -> str:
    """One campaign copy: sentence reordering, deleted and inserted sentences, character edits,
    punctuation and whitespace changes."""
    sentences = _sentences(template)
    if len(sentences) > 2 and rng.random() < 0.4:
        body = sentences[1:-1]
        rng.shuffle(body)
        sentences = sentences[:1] + body + sentences[-1:]
    if len(sentences) > 3 and rng.random() < 0.3:
        del sentences[rng.randrange(len(sentences))]
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(filler).rstrip("。") + "。")
    text = _edit("".join(sentences), rng)
    if rng.random() < 0.3:  # stray spaces and line breaks
        cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(1, 6))))
        text = "".join(text[a:b] + rng.choice([" ", "  ", "\n"]) for a, b in zip([0] + cuts, cuts + [len(text)]))
    return text.strip()


def build_campaigns(texts: list[str], labels: list[str], n_campaigns: int, rng: random.Random,
                    min_copies: int = 30, max_copies: int = 300) -> tuple[list[str], list[int], set[int]]:
    """Campaign copies and their campaign ids, plus the indices of titles used in templates (keep those out of
    the background so a background title is never literally a template sentence)."""
    by_label: dict[str, list[int]] = {}
    for i, y in enumerate(labels):
        by_label.setdefault(y, []).append(i)
    names = sorted(by_label)
    used: set[int] = set()
    copies, campaign_of = [], []
    for c in range(n_campaigns):
        pool = by_label[names[c % len(names)]]
        picked = rng.sample(pool, rng.randint(3, 6))
        used.update(picked)
        template = rng.choice(OPENINGS) + "".join(texts[i].rstrip("。！？!?") + "。" for i in picked) + rng.choice(CLOSINGS)
        filler = [texts[i] for i in rng.sample(range(len(texts)), 50)]
        for _ in range(rng.randint(min_copies, max_copies)):
            copies.append(mutate(template, rng, filler))
            campaign_of.append(c)
    return copies, campaign_of, used


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class PeakRSS:
    """Peak resident memory (MiB) of this process and its children while a block runs, sampled every 20 ms; also
    wall seconds and CPU seconds (this process and its children that ended within the block): on a machine other
    work keeps busy, CPU seconds move less than wall seconds."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()

    @staticmethod
    def _rss(pid: int | str) -> float:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _children(self) -> list[str]:
        out = []
        for task in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{task}/children") as f:
                    out += f.read().split()
            except OSError:
                pass
        return out

    def _run(self) -> None:
        while not self._stop.is_set():
            total = self._rss("self") + sum(self._rss(c) for c in self._children())
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def __enter__(self) -> Self:
        self.peak = self._rss("self")
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self.start = time.perf_counter()
        self.cpu_start = _cpu_seconds()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start
        self.cpu = _cpu_seconds() - self.cpu_start
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss("self"))


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Issue 10 data sets (bench/data/*_dev.* and *_heldout.*: tune on dev, measure held-out only at the end) ---

DATA = REPO / "bench" / "data"
PARTS = ("dev", "heldout")
_MARK = re.compile(r"⟦([^|⟧]+)\|([^⟧]+)⟧")


def _rows(path: Path) -> list[str]:
    return [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def load_quotes(part: str) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """(comment, [(clause key or "*", start, end) of each quotation]) from quotes_<part>.tsv."""
    out = []
    for line in _rows(DATA / f"quotes_{part}.tsv"):
        text, spans, at = "", [], 0
        for m in _MARK.finditer(line):
            text += line[at:m.start()]
            spans.append((m.group(1), len(text), len(text) + len(m.group(2))))
            text += m.group(2)
            at = m.end()
        out.append((text + line[at:], spans))
    return out


def load_labelled(name: str, part: str) -> list[tuple[str, str]]:
    """(label, text) rows of <name>_<part>.tsv (noise, supportive)."""
    return [tuple(line.split("\t", 1)) for line in _rows(DATA / f"{name}_{part}.tsv")]


def load_opinions(part: str) -> list[tuple[str, str, str]]:
    """(set, clause key, opinion) rows of campaign_opinions_<part>.tsv."""
    return [tuple(line.split("\t", 2)) for line in _rows(DATA / f"campaign_opinions_{part}.tsv")]


def load_letters(part: str, path: Path | None = None) -> list[tuple[str, str, list[tuple[str | None, int, int]]]]:
    """(id, letter text, [(clause key or None, start, end) of each true segment]) from letters_<part>.txt (or
    ``path``, a file in the same format)."""
    letters: list[dict] = []
    for line in (path or DATA / f"letters_{part}.txt").read_text(encoding="utf-8").split("\n"):
        if line.startswith("=== "):
            letters.append({"id": line[4:].split("|")[0].strip(), "segments": []})
            continue
        if not letters:
            continue
        m = re.match(r"@@(\+?) (\S+)$", line)
        if m:
            letters[-1]["segments"].append([m.group(2), m.group(1) == "+", []])
        elif letters[-1]["segments"]:
            letters[-1]["segments"][-1][2].append(line)
    out = []
    for letter in letters:
        text, spans = "", []
        for n, (key, glued, lines) in enumerate(letter["segments"]):
            body = "\n".join(lines).rstrip("\n")
            if n:
                text += "" if glued else "\n"
            spans.append((None if key == "-" else key, len(text), len(text) + len(body)))
            text += body
        out.append((letter["id"], text, spans))
    return out


def copy_of(opinion: str, rng: random.Random) -> str:
    """One copy of a short opinion in a campaign: the way people pass a text around — a greeting or a closing
    added, punctuation and spaces changed, up to 5 % of the characters edited, now and then one short sentence
    added (``mutate`` inserts whole sentences, which swamps a 60-character opinion)."""
    text = rng.choice(OPENINGS) + opinion
    if rng.random() < 0.2:
        text += rng.choice(["我们公司深有体会。", "请认真考虑。", "这是很多企业的共同想法。"])
    text += rng.choice(CLOSINGS)
    return _edit(text, rng)


def quote_of(clause_text: str, rng: random.Random) -> str:
    """A quotation of a clause the way people paste it: one of its first sentences, with punctuation swapped, a
    character or two changed or dropped, sometimes in quotation marks."""
    sentences = [s for s in re.split(r"(?<=[。；;])", clause_text) if len(s) >= 15][:2] or [clause_text[:40]]
    chars = list(rng.choice(sentences).rstrip("。；;"))
    for _ in range(rng.choice([0, 0, 1, 2])):
        i = rng.randrange(len(chars))
        if rng.random() < 0.5:
            chars[i] = rng.choice("的地得和与及")
        else:
            del chars[i]
    text = "".join(chars).replace(",", rng.choice([",", "，", "、"]))
    return rng.choice(["“{}”", "{}", "\"{}\""]).format(text)
