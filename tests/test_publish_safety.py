"""Never lose or half-publish anything: the site folder may not touch the project's sources, one
build at a time, leftovers of killed builds cleaned, a site without the core's output never
published, a full disk said plainly (exit 1), through the real CLI and generator.pipeline.build."""
from __future__ import annotations

import errno
import fcntl
from pathlib import Path

import pytest

from conftest import copy_project
from generator.adapters.cli import main
from generator.base.errors import ConfigError
from generator.base.settings import Settings
from generator.pipeline import build
from generator.publish import PublishError


@pytest.fixture
def project(tmp_path) -> Path:
    copy_project(tmp_path)
    (tmp_path / ".git").mkdir()
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("site_dir", ["content", ".", "content/innsatsomrader", "examples_bank",
                                      "theme", ".git", ".."])
def test_site_dir_may_not_touch_the_sources(project, capsys, site_dir):
    before = {name: snapshot(project / name) for name in ("content", "examples_bank", "theme")}
    code = main(["--config", str(project / "site_config.yml"), "build", "-d",
                 str(project / site_dir)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "nettstedsmappen" in err and "byggingen ville erstattet den" in err, err
    assert {name: snapshot(project / name) for name in before} == before
    assert (project / ".git").is_dir() and not list(project.glob(".site-*"))


def settings_of(project: Path) -> Settings:
    return Settings(root=project, bank_dir=project / "examples_bank",
                    docs_dir=project / "content", theme_dir=project / "theme")


def test_a_site_without_the_cores_output_is_not_published(project):
    target = project / "site"
    target.mkdir()
    (target / "index.html").write_text("forrige", encoding="utf-8")

    def engine_without_plugin(folder: Path) -> None:
        (folder / "index.html").write_text("<h1>Bare forsiden</h1>", encoding="utf-8")

    with pytest.raises(PublishError) as caught:
        build(settings_of(project), engine_without_plugin, target)
    assert "er ikke publisert" in caught.value.report() and "eksempler.json" in caught.value.report()
    assert (target / "index.html").read_text(encoding="utf-8") == "forrige"
    assert not list(project.glob(".site-*"))


def test_full_disk_is_said_plainly_and_the_site_is_unchanged(project, capsys, monkeypatch):
    target = project / "site"
    target.mkdir()
    (target / "index.html").write_text("forrige", encoding="utf-8")
    import mkdocs.commands.build as mkdocs_build

    def full(config, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mkdocs_build, "build", full)
    code = main(["--config", str(project / "site_config.yml"), "build"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "disken er full" in err and "Intern feil" not in err and "Traceback" not in err
    assert (target / "index.html").read_text(encoding="utf-8") == "forrige"


def test_leftovers_of_a_killed_build_are_removed_by_the_next(project):
    killed = project / ".site-bygges-abc12345"
    killed.mkdir()
    (killed / "index.html").write_text("halvferdig", encoding="utf-8")
    # staging folders of other sites built beside it (other locks: maybe in use) are kept
    others = [project / ".annet-bygges-abc12345", project / ".site-bygges-bygges-abc12345"]
    for other in others:
        other.mkdir()
    seen = []
    with pytest.raises(PublishError):
        build(settings_of(project), lambda folder: seen.append(folder.name), project / "site")
    assert seen and seen[0].startswith(".site-bygges-") and not killed.exists()
    assert all(other.is_dir() for other in others)


def test_a_second_build_of_the_same_site_waits_and_then_stops(project, monkeypatch):
    import generator.publish as publish
    monkeypatch.setattr(publish, "LOCK_WAIT", 0.3)
    with open(project / ".erfaringsbank-site.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(PublishError) as caught:
            build(settings_of(project), lambda folder: None, project / "site")
    assert "en annen bygging av det samme nettstedet pågår" in caught.value.report()


def test_check_target_allows_a_folder_beside_the_sources(project, tmp_path_factory):
    from generator.publish import check_target
    check_target(settings_of(project), project / "site")
    check_target(settings_of(project), tmp_path_factory.mktemp("elsewhere") / "site")
    with pytest.raises(ConfigError):
        check_target(settings_of(project), project / "content" / "site")


def test_a_content_page_may_link_to_an_anchor_of_a_generated_page(project, capsys):
    """The strict build checks anchors: a generated page reports the ids it has."""
    page = project / "content" / "tilgjengelighet.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nSe [kartet](regioner/index.md#kart-tittel)"
                    " og [ingenting](regioner/index.md#finnes-ikke).\n", encoding="utf-8")
    code = main(["--config", str(project / "site_config.yml"), "build"])
    err = capsys.readouterr().err
    assert code == 1, err  # the anchor that does not exist is caught …
    page.write_text(page.read_text(encoding="utf-8").replace(
        " og [ingenting](regioner/index.md#finnes-ikke)", ""), encoding="utf-8")
    assert main(["--config", str(project / "site_config.yml"), "build"]) == 0  # … the real one is not
