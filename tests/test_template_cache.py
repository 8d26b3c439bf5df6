"""base/templates.py: compiled templates kept between processes — never a reason to fail or to
render anything but the template as it is now."""
from __future__ import annotations

import os
import time

import pytest
from jinja2 import Environment, FileSystemLoader
from jinja2.bccache import bc_magic

from generator.base import templates


def _env(folder, cache) -> Environment:
    return Environment(loader=FileSystemLoader(str(folder)), bytecode_cache=cache,
                       autoescape=True)


def _cache(tmp_path) -> templates.CompiledTemplates:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700, exist_ok=True)
    return templates.CompiledTemplates(str(folder), pattern=templates.PATTERN)


def test_a_template_compiled_once_is_read_back_and_an_edited_one_compiled_again(tmp_path):
    (tmp_path / "t").mkdir()
    page = tmp_path / "t" / "side.html"
    page.write_text("<p>{{ x }} en</p>", "utf-8")
    cache = _cache(tmp_path)
    assert _env(tmp_path / "t", cache).get_template("side.html").render(x="<b>") == \
        "<p>&lt;b&gt; en</p>"
    files = list((tmp_path / "cache").iterdir())
    assert len(files) == 1 and files[0].name.startswith("erfaringsbank-")
    # a new environment (a new process) gets the compiled code from the file
    loads = []
    cache.load_bytecode = (lambda orig: lambda b: (orig(b), loads.append(b.code)))(
        cache.load_bytecode)
    assert _env(tmp_path / "t", cache).get_template("side.html").render(x=1) == "<p>1 en</p>"
    assert loads and loads[-1] is not None
    # edited (same name, same file): its checksum differs, so it is compiled again
    page.write_text("<p>{{ x }} to</p>", "utf-8")
    assert _env(tmp_path / "t", cache).get_template("side.html").render(x=1) == "<p>1 to</p>"


@pytest.mark.parametrize("damage", [b"", b"j2 not a cache", b"\x00" * 64, None,
                                    bc_magic + b"\xff\xfe not pickled"])
def test_a_damaged_cache_file_is_compiled_again(tmp_path, damage):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "side.html").write_text("<p>{{ x }}</p>", "utf-8")
    cache = _cache(tmp_path)
    _env(tmp_path / "t", cache).get_template("side.html")
    (stored,) = (tmp_path / "cache").iterdir()
    data = stored.read_bytes()
    # cut short inside the pickled checksum or the code, or replaced by junk (the last: Jinja
    # itself would raise pickle's error)
    stored.write_bytes(data[: len(data) // 2] if damage is None else damage)
    assert _env(tmp_path / "t", cache).get_template("side.html").render(x=2) == "<p>2</p>"


def test_a_folder_that_cannot_be_written_only_means_compiling(tmp_path):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "side.html").write_text("<p>{{ x }}</p>", "utf-8")
    cache = templates.CompiledTemplates(str(tmp_path / "finnes-ikke"), pattern=templates.PATTERN)
    assert _env(tmp_path / "t", cache).get_template("side.html").render(x=3) == "<p>3</p>"
    assert not (tmp_path / "finnes-ikke").exists()


def test_old_files_of_ours_are_pruned_and_nobody_elses(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    old = time.time() - (templates.KEEP_DAYS + 1) * 86400
    names = {"erfaringsbank-gammel.cache": old, "erfaringsbank-ny.cache": time.time(),
             "__jinja2_annen.cache": old}
    for name, stamp in names.items():
        (folder / name).write_bytes(b"x")
        os.utime(folder / name, (stamp, stamp))
    templates.prune(str(folder))
    assert sorted(p.name for p in folder.iterdir()) == ["__jinja2_annen.cache",
                                                         "erfaringsbank-ny.cache"]


def test_no_cache_where_the_shared_folder_is_not_safe(tmp_path, monkeypatch):
    """Jinja's folder must be the user's own directory: a link (someone else's folder put in its
    place) is refused, and the build goes on without a cache."""
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    own = tmp_path / f"_jinja2-cache-{os.getuid()}"
    templates.shared_cache.cache_clear()
    try:
        assert templates.shared_cache().directory == str(own)  # made, mode 0700
        assert own.stat().st_mode & 0o777 == 0o700
        own.rmdir()
        (tmp_path / "andres").mkdir(mode=0o700)
        os.symlink(tmp_path / "andres", own)
        templates.shared_cache.cache_clear()
        assert templates.shared_cache() is None
    finally:
        templates.shared_cache.cache_clear()
