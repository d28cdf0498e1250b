"""The 归档包: one .zip with a manifest of SHA-256 checksums, and the check that it is intact.

《重大行政决策程序暂行条例》 art. 33 asks for the whole process to be recorded and archived. The portal
decides what goes in (``comment_portal/store/archive.py``); this module only writes the files into a zip
with two manifests and verifies one:

* ``manifest.json`` — what the archive is (``about``) and every file's path, size and SHA-256;
* ``SHA256SUMS`` — the same checksums in the format of GNU ``sha256sum``, so an archivist can check the
  files years later without this software (``unzip`` then ``sha256sum -c SHA256SUMS``).

:func:`verify_archive` reports every file that is missing, extra, unreadable (a damaged zip entry fails
its CRC) or different from its checksum. Checksums prove the files are the ones the manifest lists;
they do not prove who wrote the manifest: keep the manifest's own SHA-256 (:attr:`Written.manifest_sha256`,
recorded in the audit log when the archive is made) to compare with later.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

FORMAT = "comment-portal/archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
RESERVED = frozenset({MANIFEST, CHECKSUMS})


class ArchiveError(ValueError):
    """A file list that cannot be archived (a bad or repeated path)."""


@dataclass(frozen=True)
class Written:
    files: int
    manifest_sha256: str


@dataclass
class Checked:
    """The result of :func:`verify_archive`: ``ok`` when ``problems`` is empty."""

    files: int = 0
    problems: list[str] = field(default_factory=list)
    about: dict[str, Any] = field(default_factory=dict)
    manifest_sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_path(path: str) -> str:
    """A relative POSIX path inside the archive, or :class:`ArchiveError`."""
    norm = posixpath.normpath(path)
    if (not path or path != norm or path.startswith("/") or norm.startswith("..") or "\\" in path
            or any(ord(ch) < 32 for ch in path)):
        raise ArchiveError(f"invalid archive path {path!r}")
    if path in RESERVED:
        raise ArchiveError(f"{path!r} is reserved for the manifest")
    return path


def write_archive(out: IO[bytes], files: Iterable[tuple[str, bytes]], *, about: Mapping[str, Any],
                  when: datetime | None = None) -> Written:
    """Write ``files`` (path, bytes) and the manifests to ``out`` as a zip; every entry dated ``when``."""
    stamp = (when or datetime(1980, 1, 1)).timetuple()[:6]
    listed: list[dict[str, Any]] = []
    seen: set[str] = set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        def put(path: str, data: bytes) -> None:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)

        for path, data in files:
            check_path(path)
            if path in seen:
                raise ArchiveError(f"{path!r} appears twice")
            seen.add(path)
            put(path, data)
            listed.append({"path": path, "size": len(data), "sha256": _sha256(data)})
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "about": dict(about), "files": listed}
        manifest_bytes = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        put(MANIFEST, manifest_bytes)
        put(CHECKSUMS, "".join(f"{f['sha256']}  {f['path']}\n" for f in listed).encode("utf-8"))
    return Written(files=len(listed), manifest_sha256=_sha256(manifest_bytes))


def verify_archive(source: str | Path | bytes | IO[bytes]) -> Checked:
    """Check an archive made by :func:`write_archive`; every problem is one line in Chinese."""
    result = Checked()
    handle: Any = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        result.problems.append(f"不是有效的 zip 归档包，或文件已损坏（{exc}）。")
        return result
    with archive:
        names = [info.filename for info in archive.infolist()]
        for name in sorted({n for n in names if names.count(n) > 1}):
            result.problems.append(f"归档包中有重名的文件：{name}")
        try:
            manifest_bytes = archive.read(MANIFEST)
            manifest = json.loads(manifest_bytes.decode("utf-8"))
        except KeyError:
            result.problems.append(f"归档包中没有清单文件 {MANIFEST}。")
            return result
        except (zipfile.BadZipFile, zlib.error, UnicodeDecodeError, ValueError, EOFError) as exc:
            result.problems.append(f"清单文件 {MANIFEST} 已损坏，无法读取（{exc}）。")
            return result
        result.manifest_sha256 = _sha256(manifest_bytes)
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(
                manifest.get("files"), list):
            result.problems.append(f"{MANIFEST} 不是 {FORMAT} 的清单。")
            return result
        result.about = manifest.get("about") or {}
        listed: dict[str, dict[str, Any]] = {}
        for entry in manifest["files"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                result.problems.append(f"{MANIFEST} 中有无法识别的条目：{entry!r}")
                continue
            listed[entry["path"]] = entry
        result.files = len(listed)
        present = set(names)
        for path, entry in listed.items():
            if path not in present:
                result.problems.append(f"缺少文件：{path}")
                continue
            try:
                data = archive.read(path)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                result.problems.append(f"文件已损坏，无法读取：{path}（{exc}）")
                continue
            if _sha256(data) != entry.get("sha256"):
                result.problems.append(f"校验值不符（内容已被改动）：{path}")
            elif len(data) != entry.get("size"):
                result.problems.append(f"文件大小不符：{path}")
        for path in sorted(present - set(listed) - RESERVED):
            result.problems.append(f"清单中没有的文件：{path}")
        result.problems += _check_sums(archive, present, listed)
    return result


def _check_sums(archive: zipfile.ZipFile, present: set[str], listed: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """``SHA256SUMS`` must say what the manifest says."""
    if CHECKSUMS not in present:
        return [f"归档包中没有校验文件 {CHECKSUMS}。"]
    try:
        lines = archive.read(CHECKSUMS).decode("utf-8").splitlines()
    except (zipfile.BadZipFile, zlib.error, UnicodeDecodeError, EOFError) as exc:
        return [f"校验文件 {CHECKSUMS} 已损坏，无法读取（{exc}）。"]
    sums = {}
    for line in lines:
        digest, _, path = line.partition("  ")
        sums[path] = digest
    expected = {path: entry.get("sha256") for path, entry in listed.items()}
    if sums != expected:
        differing = sorted(p for p in set(sums) | set(expected) if sums.get(p) != expected.get(p))
        return [f"{CHECKSUMS} 与 {MANIFEST} 不一致：{'、'.join(differing[:10])}"]
    return []
