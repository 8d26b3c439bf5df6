"""`erfaringsbank serve`: mkdocs' live-reload server, made forgiving (like Hugo's error overlay).

mkdocs' own `serve` (mkdocs/commands/serve.py) lets a failed rebuild raise out of its builder; its
server then makes every request wait until a build succeeds (the page «hangs»), and a failed first
build stops the command. Here the builder never raises: a failure is recorded (`Failure`) and the
rebuild counts as done, so requests are answered at once and mkdocs' live reload tells browsers
to reload. The site folder keeps the last good site (a failing build stops before it writes, or
the next build renders every page again, see the plugin's `on_build_error`), and every HTML page
served while the last build failed carries a panel with the errors (pages/templates/
byggefeil.html); before any good build, every address answers with that panel as a page.

The mkdocs internals used are listed in docs/motor.md («The build and serve commands»).
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
import traceback
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlsplit

from jinja2 import TemplateError, TemplateSyntaxError
from mkdocs.commands.build import build
from mkdocs.exceptions import Abort, BuildError, MkDocsException
from mkdocs.livereload import LiveReloadServer, _serve_url

from generator.adapters import serve_cache, serve_watch
from generator.base.errors import Issue
from generator.pages.fragments import environment

log = logging.getLogger("mkdocs.commands.serve")

CSS_PATH = "/_erfaringsbank/byggefeil.css"  # outside any mount path: never a page of the site
_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_PAGE_NAME = re.compile(r"'([^']+\.md)'")
CSS = b"""\
.eb-byggefeil{box-sizing:border-box;margin:0;padding:.8rem 1.2rem;border-bottom:.3rem solid #a4161a;
background:#fff1f0;color:#1b1b1b;font:400 .8rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
sans-serif;overflow-wrap:anywhere;position:relative;z-index:10}
.eb-byggefeil h1,.eb-byggefeil h2{margin:0 0 .6rem;font-size:1.1rem;line-height:1.3;font-weight:700;
color:#8a1014}
.eb-byggefeil p{margin:.3rem 0}
.eb-byggefeil ol{margin:.4rem 0 .6rem;padding-left:1.4rem}
.eb-byggefeil li{margin:.5rem 0}
.eb-byggefeil code{font:inherit;font-family:ui-monospace,Menlo,Consolas,monospace;background:#fff;
border:1px solid #e3b5b3;padding:0 .2em;border-radius:.15rem}
.eb-byggefeil .eb-byggefeil-merk{font-weight:700;margin-top:.6rem}
html.eb-byggefeil-side{font-size:125%}
html.eb-byggefeil-side body{margin:0;background:#fff1f0}
"""


@dataclass(frozen=True)
class Failure:
    """Why the last build failed: the issues (content or configuration), or a bug."""

    issues: tuple[Issue, ...] = ()
    internal: str = ""  # «TypeError: …» when the failure is a bug in erfaringsbank
    details: str = ""  # where the bug's traceback was saved


class State:
    """Shared by the build loop (writes) and the request threads (read). `failure` is replaced
    whole, never changed in place, so a reader sees one build's outcome or the next one's."""

    def __init__(self) -> None:
        self.good = False  # a build has succeeded: site_dir holds a site
        self.failure: Failure | None = None


def explain(exc: BaseException, engine_errors: list[str], project: Project) -> Failure:
    """The failure as the user should see it. Our errors carry their issues (BankError,
    ConfigError, the plugin's PluginError); a mistake in the theme's templates is shown at its
    line; an engine error caused by the content (mkdocs' exceptions, an unreadable file) is shown
    with mkdocs' own words; anything else is a bug."""
    if not os.path.isdir(project.docs_dir):  # everything else that fails follows from this
        return Failure((Issue(project.rel(project.docs_dir), 0, "innholdsmappen finnes ikke",
                              "Legg mappen tilbake (for eksempel med «git checkout -- "
                              f"{project.rel(project.docs_dir)}»), eller rett docs_dir i "
                              f"{project.rel(project.config_file)}."),))
    chain = list(_chain(exc))
    for e in chain:
        if getattr(e, "issues", None):
            return Failure(tuple(e.issues))
    for e in chain:
        if isinstance(e, TemplateError) and (issue := _template_issue(e, project)):
            return Failure((issue,))
    causes = [e for e in chain if isinstance(e, (MkDocsException, OSError, UnicodeError))]
    # mkdocs turns a BuildError into Abort('Aborted with a BuildError!'), having logged why
    told = [e for e in causes if not isinstance(e, Abort)]
    if told or (causes and engine_errors):
        messages = engine_errors or [f"{type(told[0]).__name__}: {told[0]}"]
        return Failure(tuple(_engine_issue(m, project) for m in messages))
    return Failure(internal=f"{type(exc).__name__}: {exc}", details=_save_details(exc))


@dataclass(frozen=True)
class Project:
    """Where the served project's parts are (from the first configuration)."""

    config_file: str
    docs_dir: str
    theme_dir: str | None

    def rel(self, path: str) -> str:
        root = os.path.dirname(os.path.abspath(self.config_file))
        path = os.path.abspath(path)
        return os.path.relpath(path, root) if path.startswith(root + os.sep) else path


def _template_issue(e: TemplateError, project: Project) -> Issue | None:
    """A template of the theme (theme/): its file and line. Jinja puts template frames in the
    traceback; a syntax error carries them itself. A template outside theme/ is ours: a bug."""
    where = [(e.filename, e.lineno)] if isinstance(e, TemplateSyntaxError) else []
    where += [(f.filename, f.lineno) for f in reversed(traceback.extract_tb(e.__traceback__))]
    theme = project.theme_dir and os.path.abspath(project.theme_dir) + os.sep
    for filename, line in where:
        if theme and filename and os.path.abspath(filename).startswith(theme):
            return Issue(project.rel(filename), line or 0,
                         f"feil i malen: {getattr(e, 'message', None) or e}",
                         "Rett malen og lagre den. Sammenlign med malen slik den var før, "
                         "eller med mkdocs-materials mal med samme navn.")
    return None


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _engine_issue(message: str, project: Project) -> Issue:
    page = _PAGE_NAME.search(message)
    where = (project.rel(os.path.join(project.docs_dir, page[1])) if page
             else project.rel(project.config_file))
    return Issue(where, 0, f"mkdocs kunne ikke bygge nettstedet: {message}",
                 "Rett filen som er nevnt og lagre den. Sammenlign med en side som virker, eller "
                 "kjør «erfaringsbank check».")


def _save_details(exc: BaseException) -> str:
    """The traceback in a file (as `cli._internal_error` does): the panel names the file."""
    try:
        fd, name = tempfile.mkstemp(prefix="erfaringsbank-feil-", suffix=".txt")
        with open(fd, "w", encoding="utf-8") as f:
            f.write("".join(traceback.format_exception(exc)))
        return name
    except OSError:
        return ""


class _Errors(logging.Handler):
    """What mkdocs logs at ERROR during one build (its exceptions often say only «Aborted»)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a broken log record must not break the build
            pass


def render_panel(failure: Failure, *, page: bool, report_to: str) -> bytes:
    errors = [i for i in failure.issues if i.is_error] or list(failure.issues)
    html = environment(None).get_template("byggefeil.html").render(
        page=page, css_href=CSS_PATH, issues=failure.issues, errors=len(errors),
        files=len({i.path for i in failure.issues}), internal=failure.internal,
        details=failure.details, report_to=report_to)
    return html.encode("utf-8")


def inject(html: bytes, panel: bytes) -> bytes:
    """The panel right after <body …> (first thing a reader and a screen reader meet)."""
    m = _BODY.search(html)
    at = m.end() if m else 0
    return html[:at] + panel + html[at:]


class Server(LiveReloadServer):
    """mkdocs' server, plus: the panel in HTML answers after a failed build, an error page for
    every address before the first good build, its stylesheet, and watches that survive a
    watched folder being deleted and made again."""

    def __init__(self, *args, state: State, report_to: Callable[[], str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.observer = serve_watch.observer()  # not polled: told of each change (serve_watch.py)
        self.state = state
        self.report_to = report_to
        self._present: dict[str, bool] = {}
        self._gone: dict[str, int] = {}  # watched paths that do not exist now (watch count)
        self._rendered: tuple = (None, False, b"")  # the last panel made: (failure, page, html)

    def serve_request(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == CSS_PATH:
            start_response("200 OK", [("Content-Type", "text/css; charset=utf-8"),
                                      ("Content-Length", str(len(CSS)))])
            return [CSS]
        if not self.state.good and not path.startswith("/livereload/"):
            # Like mkdocs' own answer: wait for a build in progress (at most one), then show
            # its outcome with the live-reload script, so fixing the file brings the site up.
            with self._epoch_cond:
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
                epoch = self._visible_epoch
            if not self.state.good:
                return self._error_page(start_response, epoch)
        answer: dict = {}

        def capture(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return lambda data: None  # mkdocs' app never calls write()

        body = super().serve_request(environ, capture)
        failure = self.state.failure
        headers = answer.get("headers", [])
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if failure is None or not kind.startswith("text/html"):
            start_response(answer.get("status", "500 Internal Server Error"), headers)
            return body
        try:
            html = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        html = inject(html, self._panel(failure, page=False))
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(answer["status"], [*headers, ("Content-Length", str(len(html)))])
        return [html]

    def _panel(self, failure: Failure, page: bool) -> bytes:
        done, was_page, html = self._rendered
        if done is not failure or was_page != page:
            html = render_panel(failure, page=page, report_to=self.report_to())
            self._rendered = (failure, page, html)
        return html

    def _error_page(self, start_response, epoch: int):
        failure = self.state.failure or Failure(internal="ingen bygging er fullført ennå")
        html = self._panel(failure, page=True)
        if self._watched_paths:
            html = self._inject_js_into_html(html, epoch)
        start_response("503 Service Unavailable",
                       [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                        ("Content-Length", str(len(html)))])
        return [html]

    def request_rebuild(self) -> None:
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def rearm(self) -> None:
        """A watched folder or file that disappeared or came back: watchdog's emitter
        stops for good when its folder is deleted, and mkdocs ignores folder events. Rebuild
        (deleting content/ shows the error) and watch it afresh once it is back (restoring it
        brings the site back)."""
        for path in [*self._watched_paths, *self._gone]:
            present = os.path.exists(path)
            if self._present.setdefault(path, present) == present:
                continue
            self._present[path] = present
            if path in self._watched_paths:
                count = self._watched_paths.pop(path)
                ref = self._watch_refs.pop(path, None)
                if ref is not None:
                    try:
                        self.observer.unschedule(ref)
                    except (KeyError, ValueError):
                        pass
            else:
                count = self._gone.pop(path)
            if present:
                self.watch(path)
                self._watched_paths[path] = count
            else:
                self._gone[path] = count
            self.request_rebuild()

    def keep_watching(self, every: float = 1.0) -> None:
        def loop():
            while not self._shutdown:
                try:
                    self.rearm()
                except Exception:  # noqa: BLE001 - the watch keeper must outlive any error
                    log.debug("rearm", exc_info=True)
                threading.Event().wait(every)
        threading.Thread(target=loop, daemon=True, name="erfaringsbank-watch").start()


def serve(load: Callable[[str], object], config_file: str, report_to: Callable[[], str]) -> None:
    """Serve the site on config.dev_addr. `load(site_dir)` reads the configuration (our checks,
    then mkdocs'; raises ConfigError): an error in the first one stops before serving."""
    site_dir = tempfile.mkdtemp(prefix="erfaringsbank-serve-")
    state = State()
    try:
        config = load(site_dir)
        config.plugins.on_startup(command="serve", dirty=True)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        config.site_url = serve_url = _serve_url(host, port, mount_path)
        project = Project(config_file, config.docs_dir, config.theme.custom_dir)

        def builder(config=None) -> None:
            log.info("Bygger nettstedet …")
            errors = _Errors()
            logging.getLogger("mkdocs").addHandler(errors)
            try:
                if config is None:
                    config = load(site_dir)
                    config.site_url = serve_url
                serve_cache.keep_theme_listing(config)
                build(config, serve_url=serve_url, dirty=True)
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - mkdocs' Abort is a SystemExit
                try:
                    state.failure = explain(exc, errors.messages, project)
                except Exception:  # noqa: BLE001 - telling the failure must not fail the loop
                    state.failure = Failure(internal=f"{type(exc).__name__}: {exc}",
                                            details=_save_details(exc))
                _log_failure(state.failure, reported=any(
                    isinstance(e, BuildError) and getattr(e, "issues", None) for e in _chain(exc)))
            else:
                state.good, state.failure = True, None
            finally:
                logging.getLogger("mkdocs").removeHandler(errors)

        server = Server(builder=builder, host=host, port=port, root=site_dir,
                        mount_path=mount_path, state=state, report_to=report_to)
        server.error_handler = _error_handler(site_dir)
        try:
            builder(config)
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=builder)
            for item in config.watch:
                server.watch(item)
            server.keep_watching()
            try:
                server.serve()
            except KeyboardInterrupt:
                log.info("Avslutter …")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _error_handler(site_dir: str):
    def handler(code: int) -> bytes | None:
        page = os.path.join(site_dir, f"{code}.html")
        if code in (404, 500) and os.path.isfile(page):
            with open(page, "rb") as f:
                return f.read()
        return None
    return handler


def _log_failure(failure: Failure, reported: bool) -> None:
    if failure.internal:
        log.error(f"Intern feil i erfaringsbank ({failure.internal}). Detaljene er lagret i "
                  f"{failure.details or '(kunne ikke lagres)'}.")
    elif not reported:  # mkdocs logs our plugin's report itself
        log.error("Nettstedet kan ikke bygges:\n" + "\n".join(i.format() for i in failure.issues))
    log.error("Serveren kjører videre og viser feilene øverst på hver side. Rett dem og lagre.")
