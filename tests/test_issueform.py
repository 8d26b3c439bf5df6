"""Feedback on a proposed example in one round, by field (`from-issue`, `new`): every mistake at
once under the form's labels or the flags, no line numbers, no «front matter», no YAML keys, no
path of a file that was not written; duplicates named; the issue answer (--svar) inert."""
from __future__ import annotations

import re
from html import unescape

import cmarkgfm
from cmarkgfm.cmark import Options

from conftest import fixture_files
from test_contributing import ISSUES, NEW_FLAGS, project, run

TYDAL = (ISSUES / "forslag-tydal.md").read_text(encoding="utf-8").replace("\r\n", "\n")
SOURCE = ("Helsedirektoratet: Notat – Leve hele livet, oppsummering av statusrapportering fra "
          "statsforvalterne pr. 1. november 2021 (1. desember 2021)")
KEYS = re.compile(r"\b(tittel|kommuner|innsatsomrader|losninger|sammendrag|status|publisert|"
                  r"sprak|kilder|kontakt|syntetisk|url|type):")


def issue(**answers: str) -> str:
    """The Tydal issue with some answers replaced (by the form field's key)."""
    labels = {"tittel": "Tittel", "kommuner": "Kommune(r)", "sammendrag": "Sammendrag",
              "status": "Status", "publisert": "Publisert", "kilder": "Kilder",
              "kontakt": "Kontakt (en rolle, ikke en person)", "tekst": "Beskrivelse"}
    text = TYDAL
    for key, answer in answers.items():
        head = f"### {labels[key]}\n\n"
        start = text.index(head) + len(head)
        end = text.find("\n### ", start) if key != "tekst" else len(text)
        text = text[:start] + answer + "\n" + (text[end:] if end >= 0 else "")
    return text


def from_issue(root, body: str, *extra: str):
    (root / "sak.md").write_text(body, encoding="utf-8")
    return run("from-issue", "sak.md", "--issue", "43", "--svar", "svar.md", *extra, cwd=root)


def shown(svar) -> str:
    """The text GitHub shows for the answer in `svar` (a file)."""
    html = cmarkgfm.github_flavored_markdown_to_html(svar.read_text(encoding="utf-8"))
    return unescape(re.sub(r"<[^>]+>", "", html)).replace("\u2060", "")


def contributor_sees_no_internals(text: str, unwritten: str = "") -> None:
    assert not re.search(r":\d", text), text              # «sak #43:54», «x.md:7»
    assert "front matter" not in text.lower() and "frontmatter" not in text.lower()
    assert not KEYS.search(text), KEYS.search(text)
    if unwritten:
        assert unwritten not in text


def test_six_mistakes_are_reported_in_one_round_under_the_forms_labels(tmp_path):
    root = project(tmp_path, fixture_files())
    before = sorted(p.name for p in (root / "examples_bank").iterdir())
    body = issue(tittel="Trim <b>for alle</b> på dagsenteret", kommuner="Tydl",
                 sammendrag="Lang tekst. " * 30, status="Ferdig", publisert="1. desember 2021",
                 kilder="Tydal kommune | www.tydal.kommune.no/trim", tekst="For kort.")
    r = from_issue(root, body)
    assert r.returncode == 1 and r.stdout == ""
    expected = [("«Tittel»", "kan ikke inneholde HTML"),
                ("«Kommune(r)»", "ukjent kommune «Tydl»"),
                ("«Sammendrag»", "teksten er 359 tegn; høyst 300 er tillatt"),
                ("«Status»", "«Ferdig» er ikke et av valgene"),
                ("«Publisert»", "«1. desember 2021» er ikke en dato på formen ÅÅÅÅ-MM-DD"),
                ("«Kilder»", "nettadressen «www.tydal.kommune.no/trim» mangler https:// foran"),
                ("«Beskrivelse»", "beskrivelsen er tom eller for kort")]
    errors = [line for line in r.stderr.splitlines() if ": feil: " in line]
    assert len(errors) == len(expected), r.stderr
    for (label, msg), line in zip(expected, errors):       # in the form's order
        assert line.startswith(f"sak #43: feil: {label}: ") and msg in line, line
    assert "Mente du «Tydal»?" in r.stderr and "Velg ett av valgene: Planlagt" in r.stderr
    assert "Eksemplet ble ikke lagret. 7 feil, 0 advarsler." in r.stderr
    contributor_sees_no_internals(r.stderr, "tydal-trim")
    answer = (root / "svar.md").read_text(encoding="utf-8")
    assert answer.startswith("Takk! Forslaget kan ikke publiseres ennå. Rett dette i saken "
                             "(velg «Edit»), så prøver vi igjen automatisk:")
    sections = re.findall(r"^#### (.+)$", answer, re.M)
    assert sections == ["Tittel", "Kommune\\(r\\)", "Sammendrag", "Status", "Publisert",
                        "Kilder", "Beskrivelse"]
    contributor_sees_no_internals(shown(root / "svar.md"), "tydal-trim")
    assert sorted(p.name for p in (root / "examples_bank").iterdir()) == before


def test_a_field_reported_by_the_form_is_not_reported_again_by_the_validator(tmp_path):
    root = project(tmp_path)
    r = from_issue(root, issue(status="", publisert="i fjor", kilder="_No response_"))
    assert r.returncode == 1
    assert r.stderr.count("«Status»") == 1 and "«Status»: feltet er tomt" in r.stderr
    assert r.stderr.count("«Publisert»") == 1 and r.stderr.count("«Kilder»") == 1
    contributor_sees_no_internals(r.stderr)


def test_a_renamed_heading_is_reported_under_its_field(tmp_path):
    root = project(tmp_path)
    r = from_issue(root, TYDAL.replace("### Kilder\n", "### Kildene\n"))
    assert r.returncode == 1
    assert "«Kilder»: overskriften er endret til «### Kildene»" in r.stderr
    assert "Skriv den slik skjemaet har den: «### Kilder»." in r.stderr
    assert "feltet mangler" not in r.stderr


def test_an_existing_example_is_named_not_blamed(tmp_path):
    root = project(tmp_path, fixture_files())
    # the same title and kommune, another file name: a similar title in the same kommune
    r = from_issue(root, TYDAL)
    assert r.returncode == 1
    assert ("«Tittel»: dette eksemplet ser ut til å finnes allerede: «Kafe Posten – møteplass "
            "skapt sammen med de eldre» (examples_bank/tydal-kafe-posten.md, på nettstedet "
            "https://leve-hele-livet.github.io/erfaringsbank/eksempler/tydal-kafe-posten/)"
            ) in r.stderr
    assert "Foreslå heller en endring i det eksisterende eksemplet" in r.stderr
    assert r.stderr.count(": feil: ") == 1
    assert "examples_bank/tydal-kafe-posten.md" in shown(root / "svar.md")
    # one title within the other, same kommune
    r = from_issue(root, issue(tittel="Kafe Posten – møteplass skapt sammen med de eldre i Tydal"))
    assert r.returncode == 1 and "finnes allerede: «Kafe Posten" in r.stderr
    # the same file name (slug) with a title unlike the existing one's
    (root / "examples_bank" / "tydal-trim.md").write_text(
        (fixture_files()[0].parent / "tydal-kafe-posten.md").read_text(encoding="utf-8"),
        encoding="utf-8")
    r = from_issue(root, issue(tittel="Trim"))
    assert r.returncode == 1 and "(examples_bank/tydal-trim.md, på nettstedet" in r.stderr
    # a similar title in another kommune, and another title in the same kommune, are new
    r = from_issue(root, issue(kommuner="Oslo"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "examples_bank/oslo-kafe-posten-moteplass-skapt-sammen-med-de-eldre.md\n"
    r = from_issue(root, issue(tittel="Middag i lag på Tydal helsetun"))
    assert r.returncode == 0, r.stderr


def test_new_names_an_existing_example_too(tmp_path):
    root = project(tmp_path, fixture_files())
    flags = [a if a != "Trim for alle på dagsenteret" else "Kafe Posten" for a in NEW_FLAGS]
    r = run(*flags, cwd=root)
    assert r.returncode == 1
    assert "--tittel: dette eksemplet ser ut til å finnes allerede: «Kafe Posten" in r.stderr
    assert "Rediger heller den eksisterende filen." in r.stderr


def test_new_reports_every_bad_flag_at_once_and_writes_nothing(tmp_path):
    root = project(tmp_path, fixture_files())
    before = sorted(p.name for p in (root / "examples_bank").iterdir())
    bad = {"--kommune": "Tydl", "--status": "ferdig", "--publisert": "2021-13-01",
           "--sammendrag": "x" * 301, "--kilde": "Testkilde | www.example.org/kilde"}
    flags = list(NEW_FLAGS)
    for flag, value in bad.items():
        flags[flags.index(flag) + 1] = value
    flags += ["--sprak", "se", "--innsatsomrade", "aktivitet-og-felleskap"]
    r = run(*flags, cwd=root)
    assert r.returncode == 1                      # all flags given, values wrong: content
    for line in ("--kommune: ukjent kommune «Tydl»", "--status: «ferdig» er ikke en gyldig verdi",
                 "--publisert: «2021-13-01» er ikke en dato",
                 "--sammendrag: teksten er 301 tegn", "--sprak: «se» er ikke en gyldig verdi",
                 "--innsatsomrade: ukjent innsatsområde «aktivitet-og-felleskap»",
                 "--kilde: nettadressen «www.example.org/kilde» mangler https:// foran"):
        assert f"erfaringsbank new: feil: {line}" in r.stderr, line
    assert "Mente du «Tydal»?" in r.stderr and "Mente du «aktivitet-og-fellesskap»?" in r.stderr
    assert "Eksemplet ble ikke lagret. 7 feil" in r.stderr
    assert "examples_bank" not in r.stderr and "tydal-trim" not in r.stderr
    assert sorted(p.name for p in (root / "examples_bank").iterdir()) == before
    # missing flags are wrong use (2), and the wrong values are in the same report
    r = run("new", "--tittel", "Trim", "--kommune", "Tydl", "--publisert", "i går", cwd=root)
    assert r.returncode == 2
    for line in ("--kommune: ukjent kommune «Tydl»", "--publisert: «i går» er ikke en dato",
                 "--sammendrag: mangler", "--status: mangler", "--kilde: mangler",
                 "--tekst: mangler", "--innsatsomrade: mangler"):
        assert line in r.stderr, line
    assert "examples_bank" not in r.stderr
    assert sorted(p.name for p in (root / "examples_bank").iterdir()) == before


HOSTILE = {
    "kommuner": "<img src=x onerror=alert(1)>",
    "status": "@someone ![x](https://evil.example/x.png) ``` `code` ````",
    "publisert": "::set-output name=x::y\n::error::z",
    "kilder": "Notat | https://evil.example/a | <script>alert(1)</script>\n"
              "[klikk](javascript:alert(1)) | www.evil.example/x",
    "tekst": "![x](https://evil.example/p.png) og <img src=x onerror=alert(1)> fra @org/team "
             "og #1\n\n::add-mask::hemmelig",
}


def test_the_issue_answer_is_inert_for_hostile_answers(tmp_path):
    root = project(tmp_path)
    body = issue(**HOSTILE).replace(   # a heading after a one-line field is not part of it
        "### Språk", "### [klikk](https://evil.example) @everyone #1 <b>x</b>\n\ntekst\n\n### Språk")
    r = from_issue(root, body)
    assert r.returncode == 1
    answer = (root / "svar.md").read_text(encoding="utf-8")
    html = cmarkgfm.github_flavored_markdown_to_html(answer, options=Options.CMARK_OPT_UNSAFE)
    tags = set(re.findall(r"</?([a-z0-9]+)", html))
    assert tags <= {"p", "h4", "ul", "li"}, tags                # no a, img, script, code, pre …
    assert html.count("<h4>") == len(re.findall(r"^#### ", answer, re.M))
    seen = unescape(re.sub(r"<[^>]+>", "", html))
    assert not re.search(r"@\w", seen) and not re.search(r"#\d", seen)   # no ping, no link
    assert "://" not in seen and "www." not in seen             # no autolink
    for line in answer.splitlines():
        assert not line.lstrip().startswith("::") and "##[" not in line
        assert line == "" or line.startswith(("Takk!", "#### ", "- ")), line
    # … and still says what was written, to be found and fixed
    visible = seen.replace("\u2060", "")
    for text in ("<img src=x onerror=alert(1)>", "@someone", "<script>alert(1)</script>",
                 "::set-output name=x::y ::error::z", "https://evil.example/p.png",
                 "### [klikk](https://evil.example) @everyone #1 <b>x</b>"):
        assert text in visible, text
    assert "``` `code` ````" in visible


def test_an_issue_with_crlf_line_endings_makes_the_same_file(tmp_path):
    """GitHub's API returns an issue body with CRLF line endings (the workflow writes it to a
    file as it comes): the entry is the same as from LF text, with LF line endings."""
    made = []
    for n, body in enumerate((TYDAL, TYDAL.replace("\n", "\r\n"))):
        (tmp_path / str(n)).mkdir()
        root = project(tmp_path / str(n))
        r = from_issue(root, body)
        assert r.returncode == 0, r.stderr
        made.append((root / r.stdout.strip()).read_bytes())
    assert made[0] == made[1] and b"\r" not in made[0]
