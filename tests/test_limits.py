"""Limits and hostile sizes (issue 14): every input is measured before it is parsed, in linear
time, and every mistake is a content error with file:line — exit 1, never a hang, a crash, a
segmentation fault or an internal error (exit 3). One test per class, a few variants each, through
the real `check` (and `build` where the mistake used to get past `check` or crash it).

The inputs are adversarial but of moderate size: the tests assert on the result, not on the time
(bench/adversarial.py measures the time, up to 1 MB, and docs/performance.md has the figures).
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, VALID, entry, fixture_files
from conftest import edit_file as replace
from generator.adapters.cli import main
from generator.load import limits
from generator.load.yamlsafe import _depth_bound, load_mapping, yaml_too_deep
from generator.render.markdown import TooComplex, render_markdown
from generator.validate.safety import is_fodselsnummer

ENTRY = "examples_bank/syntetisk-felt.md"
STATUS = "content/status/2021-11.yml"
PAGE = "content/tilgjengelighet.md"


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "site_config.yml", root / "site_config.yml")
    (root / "theme").symlink_to(ROOT / "theme", target_is_directory=True)
    bank = root / "examples_bank"
    bank.mkdir()
    for f in fixture_files():
        shutil.copy(f, bank / f.name)
    (root / ENTRY).write_text(VALID, encoding="utf-8")
    return root


def check(project: Path, capsys, *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--config", str(project / "site_config.yml"), "check", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def cli(project: Path, command: str) -> tuple[int, str]:
    """The command in a process of its own: a crash (a segmentation fault is exit -11) cannot
    take the test run with it, and mkdocs' log goes to stderr as for a user."""
    r = subprocess.run([sys.executable, "-m", "generator", "--config",
                        str(project / "site_config.yml"), command], cwd=project,
                       capture_output=True, text=True, timeout=600)
    return r.returncode, r.stdout + r.stderr


def with_body(name: str, body: str) -> str:
    """A valid entry of its own title (the bank refuses two of the same) with `body` added."""
    return VALID.replace("tittel: Syntetisk testeksempel", f"tittel: Syntetisk {name}") + \
        "\n" + body + "\n"


def write(project: Path, rel: str, text: str | bytes) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def errors(report: str) -> list[str]:
    return [line for line in report.splitlines() if ": feil:" in line]


def no_crash(code: int, report: str) -> None:
    assert code in (0, 1), (code, report[-3000:])
    assert "Intern feil" not in report and "Traceback" not in report, report[-3000:]


# -- exit 3 only for real bugs (each used to be an internal error or pass `check`) -------------

EXIT_3 = {
    "nul-in-front-matter": (ENTRY, b"status: gjennomfort", b"status: gjenn\x00omfort",
                            "filen inneholder et kontrolltegn (U+0000, NUL)"),
    "nul-in-status-yaml": (STATUS, b"dato: 2021-11-01", b"dato: 2021-11-01\x00",
                           "filen inneholder et kontrolltegn (U+0000, NUL)"),
    "lone-surrogate-in-tittel": (ENTRY, b"tittel: Syntetisk testeksempel",
                                 b'tittel: "Syntetisk \\ud800 testeksempel"',
                                 "«tittel» inneholder en ugyldig tegnkode"),
    "5000-digit-count": (STATUS, b"  fase_3: 172", b"  fase_3: " + b"9" * 5000,
                         "må være et helt tall"),
}


@pytest.mark.parametrize("case", sorted(EXIT_3))
def test_former_internal_errors_are_content_errors_in_check_and_build(project, case):
    rel, old, new, message = EXIT_3[case]
    path = project / rel
    data = path.read_bytes()
    assert old in data, case
    line = data[: data.index(old)].count(b"\n") + 1
    path.write_bytes(data.replace(old, new, 1))
    for command in ("check", "build"):
        code, report = cli(project, command)
        assert code == 1, (command, report[-3000:])
        no_crash(code, report)
        assert any(e.startswith(f"{rel}:{line}: feil:") and message in e
                   for e in errors(report)), (command, report[-3000:])
    assert not (project / "site").exists()


# -- sizes, checked before reading -------------------------------------------------------------

def test_files_over_the_size_limits_are_refused(project, capsys):
    big = limits.MAX_FILE_BYTES + 1
    with open(project / "examples_bank" / "syntetisk-stor.md", "wb") as f:
        f.truncate(big)                                      # an entry: 1 MiB of zeros, sparse
    write(project, "content/stor-side.md", "# Stor\n\n" + "tekst " * (big // 6 + 1))
    write(project, "content/status/2099-05.yml", "runde: 2099-05\n# " + "x" * big + "\n")
    fm = "---\n" + VALID.split("---\n")[1] + "notat: " + "x" * limits.MAX_FRONT_MATTER_BYTES
    write(project, "examples_bank/syntetisk-fm.md", fm + "\n---\nBrødtekst som er lang nok.\n")
    write(project, "content/fm-side.md", "---\ntitle: " + "ø" * 40_000 + "\n---\n# Side\n")
    code, report = check(project, capsys)
    no_crash(code, report)
    assert code == 1
    assert sorted(errors(report)) == sorted([
        "examples_bank/syntetisk-stor.md: feil: filen er 1,1 MB; høyst 1 MB er tillatt",
        "content/stor-side.md: feil: filen er 1,1 MB; høyst 1 MB er tillatt",
        "content/status/2099-05.yml: feil: filen er 1,1 MB; høyst 1 MB er tillatt",
        "examples_bank/syntetisk-fm.md:1: feil: front matter er 65 kB; høyst 64 kB er tillatt",
        "content/fm-side.md:1: feil: front matter er 79 kB; høyst 64 kB er tillatt"]), report


def test_more_sources_than_allowed(project, capsys):
    kilder = "kilder:\n" + "".join(f"  - tittel: Kilde {n}\n" for n in range(51))
    line = replace(project, ENTRY, "kilder:\n  - tittel: Testdata\n    url: https://example.org/kilde\n",
                   kilder)
    code, report = check(project, capsys)
    assert code == 1
    assert errors(report) == [f"{ENTRY}:{line}: feil: «kilder» har 51 kilder; høyst 50 er "
                              "tillatt"], report


# -- YAML nesting, checked before composing (libyaml's composer recursed into a segfault) --------

DEEP = 25_000
DEEP_YAML = {
    "brackets": "ekstra: " + "[" * DEEP + "]" * DEEP,
    "braces": "ekstra: " + "{a: " * 5000 + "x" + "}" * 5000,
    "dashes": "ekstra:\n" + "- " * DEEP + "x",
    "indentation": "ekstra:\n" + "".join(" " * n + f"k{n}:\n" for n in range(1, 30)) + " " * 30 + "x",
    "mixed": "ekstra: " + "[{a: " * 3000 + "x" + "}]" * 3000,
}


@pytest.mark.parametrize("case", sorted(DEEP_YAML))
def test_deep_yaml_in_an_entry_is_refused_by_check_and_build(project, case):
    line = replace(project, ENTRY, "syntetisk: true\n", "syntetisk: true\n" + DEEP_YAML[case] + "\n")
    for command in ("check", "build"):
        code, report = cli(project, command)
        no_crash(code, report)
        assert code == 1, (command, report[-2000:])
        deep = [e for e in errors(report) if "YAML er nestet mer enn 20 nivåer" in e]
        assert len(deep) == 1 and deep[0].startswith(f"{ENTRY}:"), report[-2000:]
        assert int(deep[0].split(":")[1]) >= line + 1


def test_deep_yaml_in_content_pages_and_status_files(project, capsys):
    """mkdocs reads the content pages' front matter itself, with libyaml: check reads it first."""
    deep = "[" * DEEP + "]" * DEEP
    page = project / PAGE
    text = page.read_text(encoding="utf-8")
    page.write_text("---\nekstra: " + deep + "\n---\n" + text.split("---\n", 2)[-1]
                    if text.startswith("---\n") else "---\nekstra: " + deep + "\n---\n" + text,
                    encoding="utf-8")
    losning = "content/innsatsomrader/helsehjelp/hverdagsmestring.md"
    replace(project, losning, "navn: Hverdagsmestring", "navn: Hverdagsmestring\nekstra: " + deep)
    replace(project, STATUS, "dato: 2021-11-01", "dato: 2021-11-01\nekstra: " + deep)
    for command in ("check", "build"):
        code, report = cli(project, command)
        no_crash(code, report)
        assert code == 1
        deep_errors = sorted(e.split(":")[0] for e in errors(report) if "nestet mer enn 20" in e)
        assert deep_errors == sorted([PAGE, losning, STATUS]), (command, report[-3000:])


def test_content_front_matter_is_found_as_mkdocs_finds_it(project, capsys):
    """mkdocs takes «--- » (spaces after it) as the start of front matter, and a file without a
    closing line as Markdown only: check reads the same."""
    write(project, "content/med-mellomrom.md",
          "---  \nekstra: " + "[" * 30 + "]" * 30 + "\n---\n# Side\n")
    write(project, "content/uten-avslutning.md", "---\nEn strek, så tekst uten front matter.\n")
    code, report = check(project, capsys)
    assert code == 1
    assert [e.split(": feil:")[0] for e in errors(report)] == ["content/med-mellomrom.md:2"], report


def test_twenty_levels_of_yaml_are_allowed():
    for depth in (1, 5, 20):
        for text in ("a: " + "[" * (depth - 1) + "]" * (depth - 1),
                     "".join(" " * n + f"k{n}:\n" for n in range(depth)) + " " * depth + "x"):
            assert yaml_too_deep(text) is None, text
            mapping, problems = load_mapping(text)
            assert mapping is not None and not problems, (text, problems)
    assert yaml_too_deep("a: " + "[" * 20 + "]" * 20) is not None
    assert yaml_too_deep("a: " + "[" * 20 + "]" * 20, line_offset=4).line == 5


# libyaml's emitter: the same 900 texts as yaml.safe_dump's pure-Python one (compared equal),
# in a twentieth of the CPU (safe_dump was 95 % of this test's 5 s).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _nested(rng: random.Random, depth: int):
    if depth == 0 or rng.random() < 0.2:
        return rng.choice(["x", "ja", "1", "a: b", ""])
    if rng.random() < 0.5:
        return [_nested(rng, depth - 1) for _ in range(rng.randint(1, 3))]
    return {f"k{i}": _nested(rng, depth - 1) for i in range(rng.randint(1, 3))}


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


def test_the_text_bound_is_never_below_the_real_depth():
    """The text bound lets almost every file skip the parser's events; it must never be below the
    depth the composer would reach, whatever the style (block, flow, compact «- - x»)."""
    rng = random.Random(14)
    for n in range(300):
        value = {"top": _nested(rng, rng.randint(1, 9))}
        for style in (False, True, None):
            text = yaml.dump(value, Dumper=_DUMPER, default_flow_style=style,
                             indent=rng.choice([2, 3, 4]), allow_unicode=True,
                             width=rng.choice([20, 80, 10**6]))
            assert _depth_bound(text) >= _depth(value), text
    for text in ["- - - - x", "- a: - b", "? - a\n: - b", "a:\n- - x\n  - y", "a: [ {b: [c]} ]"]:
        real = _depth_of_events(text)
        assert _depth_bound(text) >= real, (text, real)


def _depth_of_events(text: str) -> int:
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return deepest


# -- Markdown nesting and HTML size, checked before the sanitiser ------------------------------

MARKDOWN_DEEP = {
    "quotes": "> " * 100_000 + "x",                      # 200 kB: 214 s in the sanitiser before
    "quotes-no-space": ">" * 30 + "x",
    "dashes": "- " * 30 + "x",
    "numbers": "1. " * 30 + "x",
    "mixed": "> - 1) * + " * 6 + "x",
    "indented-list": "".join("  " * n + "- punkt\n" for n in range(30)),
    "quotes-per-line": "".join("> " * n + "x\n" for n in range(1, 30)),
}


def test_deep_markdown_is_refused_with_its_line(project, capsys):
    lines = {}
    for name, body in MARKDOWN_DEEP.items():
        text = with_body(name, body)
        write(project, f"examples_bank/syntetisk-{name}.md", text)
        lines[name] = VALID.count("\n") + 2 + next(
            n for n, line in enumerate(body.split("\n")) if limits.markdown_too_deep(line))
    write(project, "content/dyp-side.md", "# Dyp side\n\nTekst.\n\n" + "> " * 50 + "x\n")
    code, report = check(project, capsys)
    no_crash(code, report)
    assert code == 1
    found = {e.split(": feil:")[0] for e in errors(report) if "nestet minst" in e}
    assert found == {f"examples_bank/syntetisk-{n}.md:{lines[n]}" for n in MARKDOWN_DEEP} | {
        "content/dyp-side.md:5"}, report[-3000:]


def test_twenty_levels_of_markdown_and_deep_code_are_allowed(project, capsys):
    body = ("> " * 20 + "sitat\n\n" + "".join("  " * n + "- punkt\n" for n in range(20))
            + "\n```\n" + " " * 100 + "kode\n```\n")
    write(project, ENTRY, VALID + "\n" + body)
    code, report = check(project, capsys)
    assert code == 0, report


def test_html_over_the_tag_limit_is_refused_before_the_sanitiser(project, capsys):
    write(project, ENTRY, VALID + "\n" + "<div>" * 20_000 + "x\n")
    write(project, "examples_bank/syntetisk-mange.md", with_body("mange", "<p>x</p>\n" * 12_000))
    code, report = check(project, capsys)
    no_crash(code, report)
    assert sorted(e.split(" (")[0] for e in errors(report)) == [
        f"{ENTRY}:15: feil: teksten blir til 20001 HTML-elementer",
        "examples_bank/syntetisk-mange.md:15: feil: teksten blir til 12001 HTML-elementer"], report


def test_unclosed_formatting_tags_do_not_multiply():
    """html5ever re-opens every unclosed formatting element at each paragraph; with distinct
    attributes nothing bounded that (17 kB of «<b title=…><p>» became 10 MB). Without their
    attributes (nh3 drops them anyway) at most three of a kind are re-opened."""
    for tag in ("b", "em", "code", "FONT", "strong"):
        text = "".join(f"<{tag} title=x{i}><p>" for i in range(1500)) + "slutt"
        html = str(render_markdown(text, max_tags=10_000).html)
        assert len(html) < 20 * len(text), (tag, len(text), len(html))
        assert "slutt" in html
    assert str(render_markdown("<B TITLE=x>fet</B> og <em\nclass=y>kursiv</em>").html) == \
        "<p><b>fet</b> og <em>kursiv</em></p>\n"
    with pytest.raises(TooComplex):
        render_markdown("<span>" * 101, max_tags=100)


# -- no super-linear pattern on untrusted text -------------------------------------------------

ADVERSARIAL = {   # 120 kB each: what made a pattern quadratic or worse before, and what might now
    "lt": "< " * 60_000,
    "brackets-and-spaces": "](" + " " * 120_000 + "x",
    "href-spaces": "<a href=" + " " * 120_000 + ">x</a>",
    "digits": "1" * 120_000,
    "digit-groups": "12345678901 " * 10_000,
    "img": "<img " * 24_000,
    "img-alt": '<img alt="x" src="' * 6_000,
    "on-attributes": "<a onx" + "a" * 120_000,
    "at": "(at) " * 24_000,
    "dot": "kari at tydal dot no " * 6_000,
    "at-signs": "a@" * 60_000,
    "long-word-then-at": "a" * 120_000 + "@",
    "headings": "<h1>" * 30_000,
    "heading-text": "<h1>" + "<" * 120_000 + "</h1>",
    "links": "[x](a.md) " * 2_000,
    "emphasis": "*_" * 60_000,
    "backticks": "`a" * 60_000,
    "table": "|a" * 2_000 + "\n" + "|-" * 2_000 + "\n" + ("|a" * 2_000 + "\n") * 20,
}


def test_adversarial_bodies_finish_with_a_result(project, capsys):
    for name, body in ADVERSARIAL.items():
        write(project, f"examples_bank/syntetisk-{name}.md", with_body(name, body))
    code, report = check(project, capsys)
    no_crash(code, report)
    by_file = {}
    for line in report.splitlines():
        if line.startswith("examples_bank/syntetisk-") and ": " in line:
            by_file.setdefault(line.split(":")[0].removeprefix("examples_bank/syntetisk-")
                               .removesuffix(".md"), []).append(line)
    assert "Intern feil" not in report
    # The ones with something to say say it; the rest pass.
    assert "HTML-elementer" in " ".join(by_file["headings"])
    assert len([line for line in by_file["links"] if "ikke finnes" in line]) == 1  # one link, once
    for name in ("table", "backticks", "emphasis"):       # many elements, shallow: refused all
        assert "HTML-elementer" in " ".join(by_file[name]), name          # the same
    assert "mulig e-postadresse" in " ".join(by_file["dot"])
    assert "mulig fødselsnummer" not in " ".join(by_file.get("digit-groups", []))
    assert not [n for n in ("lt", "digits", "brackets-and-spaces", "img",
                            "img-alt", "href-spaces", "heading-text", "long-word-then-at", "at-signs",
                            "on-attributes")
                if any(": feil:" in line for line in by_file.get(n, []))], report[-3000:]


def test_a_kommune_name_of_sixty_thousand_characters(project, capsys):
    """«a,a,a,…(»: the resolver's old pattern tried every comma as the split (quadratic: 8 000
    commas took 3.5 s, these 30 000 about a minute)."""
    line = replace(project, ENTRY, "kommuner: [Tydal]", 'kommuner: ["' + "a," * 30_000 + '("]')
    code, report = check(project, capsys)
    assert code == 1
    assert errors(report) == [f"{ENTRY}:{line}: feil: ukjent kommune «{'a,' * 20}…» "
                              "(60001 tegn)"], report


# -- images: no SVG, nothing from another site ------------------------------------------------

def test_svg_and_external_images_are_refused_by_check_and_build(project):
    write(project, "examples_bank/bilder/kart.svg",
          '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    body = ("![Kart](bilder/kart.svg)\n\n![Piksel](https://example.org/p.png)\n\n"
            "<img alt='x' src='//example.org/p.gif'>\n\n![ref][r]\n\n[r]: http://example.org/r.png\n\n"
            "[En lenke](https://example.org/side) og <a href=\"https://example.org/a\">en til</a>.\n")
    text = VALID + "\n" + body
    write(project, ENTRY, text)
    line = {needle: text[: text.index(needle)].count("\n") + 1 for needle in (
        "bilder/kart.svg", "https://example.org/p.png", "//example.org/p.gif",
        "http://example.org/r.png")}
    for command in ("check", "build"):
        code, report = cli(project, command)
        no_crash(code, report)
        assert code == 1
        found = sorted(e.split(" (")[0] for e in errors(report))
        assert found == sorted([
            "examples_bank/bilder/kart.svg: feil: SVG-bilder er ikke tillatt",
            f"{ENTRY}:{line['bilder/kart.svg']}: feil: bildet «bilder/kart.svg» er en SVG-fil, "
            "som ikke er tillatt",
            f"{ENTRY}:{line['https://example.org/p.png']}: feil: bildet "
            "«https://example.org/p.png» hentes fra et annet nettsted",
            f"{ENTRY}:{line['//example.org/p.gif']}: feil: bildet «//example.org/p.gif» hentes "
            "fra et annet nettsted",
            f"{ENTRY}:{line['http://example.org/r.png']}: feil: bildet «http://example.org/r.png» "
            "hentes fra et annet nettsted"]), report[-3000:]
        assert not (project / "site").exists()


def test_links_no_file_can_have_are_content_errors(project):
    """A name the system refuses (over 255 bytes: «File name too long» was exit 3) or with a NUL
    (%00) is an error for that link or image, in check and build alike."""
    long = "a" * 5000
    body = (f"[lang]({long}.md) og ![langt](bilder/{long}.png) og [nul](a%00.md) og "
            f"![nul](bilder/b%00.png) og [dyp]({'c/' * 3000}x.md)\n")
    write(project, ENTRY, VALID + "\n" + body)
    line = VALID.count("\n") + 2
    for command in ("check", "build"):
        code, report = cli(project, command)
        no_crash(code, report)
        assert code == 1
        found = [e for e in errors(report) if e.startswith(f"{ENTRY}:{line}: feil:")]
        assert len(found) == 5 and len(errors(report)) == 5, report[-3000:]
        assert sum("kontrolltegn" in e for e in found) == 2
        assert all(len(e) < 300 for e in found)  # long addresses are shortened in messages


def test_images_from_other_sites_are_found_however_written():
    for text in ["![x](https://e.org/a.png)", "![x](HTTP://e.org/a.png)", "![x](//e.org/a.png)",
                 '<img src=" https://e.org/a.png" alt=x>', '<img src="ht\ttps://e.org/a.png" alt=x>',
                 "<img src='\\\\e.org\\a.png' alt=x>", "![x][r]\n\n[r]: https://e.org/a.png",
                 "![x](/absolutt/sti.png)"]:
        rendered = render_markdown(text)
        assert len(rendered.external_images) == 1 and not rendered.refs, (text, rendered)
    for text in ["[x](https://e.org/a.png)", "<a href='https://e.org'>x</a>", "![x](bilder/a.png)"]:
        assert not render_markdown(text).external_images, text


# -- personal data: warnings that fail only check --strict ------------------------------------

PERSONAL = {
    "fodselsnummer": "Brukeren har fødselsnummer 15058910063.",
    "fodselsnummer-space": "Fnr. 150589 10063 står i journalen.",
    "d-nummer": "D-nummer 55058910057.",
    "at-round": "Skriv til kari (at) tydal.kommune.no.",
    "at-square": "Kontakt: kari.nordmann[at]tydal[dot]kommune[dot]no",
    "at-words": "Send e-post til kari at tydal dot no eller ola at tydal punktum no.",
    "at-spaced": "kari @ tydal.kommune.no",
}
NOT_PERSONAL = [
    "Kontonummer 15058910064 (én feil kontrollsiffer).", "Organisasjonsnummer 974 757 873.",
    "Vi vet at nav.no har mer, og at kommunen dot ikke.", "Møtet var @ rådhuset.",
    "Tallene 12345678901 og 98765432109 er tilfeldige.", "Send oss en e-post (at) noen tid.",
]


def test_personal_data_warns_and_fails_only_strict(project, capsys):
    for name, text in PERSONAL.items():
        write(project, f"examples_bank/syntetisk-{name}.md", with_body(name, text))
    write(project, "examples_bank/syntetisk-kontakt.md",
          entry(tittel="Syntetisk kontakt", kontakt="Kari Nordmann, kari (at) tydal.kommune.no"))
    for n, text in enumerate(NOT_PERSONAL):
        write(project, f"examples_bank/syntetisk-ikke-{n}.md", with_body(f"ikke {n}", text))
    code, report = check(project, capsys)
    assert code == 0, report
    warned = {line.split(":")[0].removeprefix("examples_bank/syntetisk-").removesuffix(".md")
              for line in report.splitlines() if ": advarsel:" in line}
    assert warned == set(PERSONAL) | {"kontakt"}, report
    assert report.count("personvern") == len(warned)
    code, report = check(project, capsys, "--strict")
    assert code == 1


def test_fodselsnummer_check_digits():
    assert is_fodselsnummer("15058910063") and is_fodselsnummer("55058910057")
    assert not is_fodselsnummer("15058910064")          # second check digit wrong
    assert not is_fodselsnummer("15058910163")          # first check digit wrong
    assert not is_fodselsnummer("32058910063")          # no such day
    assert not is_fodselsnummer("1505891006")
    rng = random.Random(1)
    hits = sum(is_fodselsnummer(f"{rng.randrange(10**11):011d}") for _ in range(200_000))
    assert hits < 200_000 / 300                          # few false positives among random digits
