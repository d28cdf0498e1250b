"""The 归档包: a zip with manifest.json and SHA256SUMS, and verify_archive finding every kind of damage."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from exports import ArchiveError, verify_archive, write_archive

FILES = [
    ("说明.txt", "内部资料 注意保密\n".encode()),
    ("comments/内部资料-意见明细.json", json.dumps({"comments": ["意见一", "意见二"] * 200}, ensure_ascii=False).encode()),
    ("published/v1/report.html", b"<html><body>report</body></html>"),
]


def _archive(files=FILES) -> bytes:
    out = io.BytesIO()
    write_archive(out, files, about={"consultation": "seed", "created_by": "admin1"})
    return out.getvalue()


def test_manifest_lists_every_file_with_its_checksum():
    data = _archive()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        sums = archive.read("SHA256SUMS").decode()
        for path, body in FILES:
            assert archive.read(path) == body
    assert manifest["format"] == "comment-portal/archive" and manifest["about"]["consultation"] == "seed"
    for entry, (path, body) in zip(manifest["files"], FILES):
        assert entry == {"path": path, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        assert f"{entry['sha256']}  {path}\n" in sums   # the format `sha256sum -c` reads
    checked = verify_archive(data)
    assert checked.ok and checked.files == 3, checked.problems
    assert checked.manifest_sha256 == hashlib.sha256(manifest_bytes(data)).hexdigest()


def manifest_bytes(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("manifest.json")


def test_same_files_same_archive():
    assert _archive() == _archive()


@pytest.mark.parametrize("position", ["report", "comments"])
def test_one_changed_byte_is_reported(position):
    data = bytearray(_archive())
    # Flip one byte inside the stored data of one entry (found through its local header).
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("published/v1/report.html" if position == "report"
                               else "comments/内部资料-意见明细.json")
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26:header + 28], "little")
    extra_len = int.from_bytes(data[header + 28:header + 30], "little")
    at = header + 30 + name_len + extra_len + info.compress_size // 2
    data[at] ^= 0x01
    checked = verify_archive(bytes(data))
    assert not checked.ok
    assert any(info.filename in p for p in checked.problems), checked.problems


def test_a_file_replaced_consistently_inside_the_zip_is_caught_by_its_checksum():
    """A changed file rewritten with a valid zip CRC: only the manifest's SHA-256 can tell."""
    good = _archive()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "published/v1/report.html":
                body = body.replace(b"report", b"rep0rt")
            dst.writestr(info, body)
    checked = verify_archive(out.getvalue())
    assert checked.problems == ["校验值不符（内容已被改动）：published/v1/report.html"]


def test_missing_extra_and_inconsistent_files_are_reported():
    good = _archive()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename == "说明.txt":
                continue
            body = src.read(info.filename)
            if info.filename == "SHA256SUMS":
                body = body.replace(b"published/v1/report.html", b"published/v1/other.html")
            dst.writestr(info, body)
        dst.writestr("extra.txt", b"added later")
    problems = verify_archive(out.getvalue()).problems
    assert "缺少文件：说明.txt" in problems
    assert "清单中没有的文件：extra.txt" in problems
    assert any(p.startswith("SHA256SUMS 与 manifest.json 不一致") for p in problems)


def test_not_an_archive():
    checked = verify_archive(b"this is not a zip file")
    assert not checked.ok and "不是有效的 zip 归档包" in checked.problems[0]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", b"x")
    assert verify_archive(out.getvalue()).problems == ["归档包中没有清单文件 manifest.json。"]


@pytest.mark.parametrize("path", ["../escape.txt", "/abs.txt", "a/../b.txt", "manifest.json", "", "a\\b.txt"])
def test_bad_paths_are_refused(path):
    with pytest.raises(ArchiveError):
        write_archive(io.BytesIO(), [(path, b"x")], about={})


def test_a_path_twice_is_refused():
    with pytest.raises(ArchiveError, match="twice"):
        write_archive(io.BytesIO(), [("a.txt", b"x"), ("a.txt", b"y")], about={})
