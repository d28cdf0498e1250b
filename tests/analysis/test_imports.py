import subprocess
import sys


def test_import_analysis_does_not_import_flask_or_sql():
    code = ("import sys, warnings; warnings.simplefilter('ignore'); import analysis; "
            "bad = [m for m in ('flask', 'sqlite3', 'sqlite_utils', 'comment_portal') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
