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
    chars = list("".join(sentences))
    for _ in range(int(len(chars) * rng.uniform(0.0, 0.05))):  # up to 5 % character edits
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


class PeakRSS:
    """Peak resident memory (MiB) of this process and its children while a block runs, sampled every 20 ms."""

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
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss("self"))


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
