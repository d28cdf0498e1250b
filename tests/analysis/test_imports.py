import subprocess
import sys


def test_import_analysis_does_not_import_flask_or_sql():
    code = ("import sys, warnings; warnings.simplefilter('ignore'); import analysis; "
            "bad = [m for m in ('flask', 'sqlite3', 'sqlite_utils', 'comment_portal') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_worker_jobs_of_group_comments_run_without_scikit_learn():
    """The clustering and noise jobs group_comments sends to worker processes need no scikit-learn, whose import
    costs each spawned worker about two seconds of CPU: analysis imports it only where it is used."""
    code = """
import sys, warnings
warnings.simplefilter('ignore')
import numpy as np
from analysis import grouping
from analysis.noise import consultation_relatedness
from analysis.vectorize import WordVectors, counts
words = ['跨境', '电商', '海外仓', '物流', '退税', '人才', '补贴', '直播', '品牌', '通关']
rng = np.random.default_rng(0)
docs = [[words[j] for j in rng.choice(len(words), 4)] for _ in range(300)]
vectors = rng.normal(size=(len(words), 8)).astype(np.float32)
vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
wv = WordVectors({w: i for i, w in enumerate(words)}, np.ones(len(words), dtype=np.float32), vectors)
result = grouping._cluster_job((counts(docs), None, 0, wv, frozenset()))
assert result.clusters, 'nothing clustered'
texts = ['加微信wx12345代开发票', '建议加大跨境电商物流补贴']
relatedness = consultation_relatedness(docs, None, None)
flags = grouping._noise_chunk((texts, grouping._packed([['加', '微信'], ['跨境', '电商', '物流']]), relatedness))
assert flags[0] is not None and flags[0].reason == 'advert', flags
loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn')
print(loaded)
sys.exit(1 if loaded else 0)
"""
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
