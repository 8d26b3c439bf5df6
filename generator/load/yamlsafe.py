"""YAML reading for files written by many hands: SafeLoader only, with line numbers.

Why a loader of our own:
* YAML 1.1 (PyYAML) reads `no`, `yes`, `on`, `off`, `y`, `n` as booleans — `sprak: no` silently
  becomes `false`. We keep every plain scalar as text (only `true`/`false` are booleans) and
  report the ambiguous words, so the file means the same in every YAML reader.
* `0301` (Oslo's kommunenummer) would be read as an octal number, and `2021-13-01` would crash
  the date constructor. Numbers and dates stay text; the validators parse them with clear messages.
* Duplicate keys are silently merged by PyYAML; we report them.
* Anchors and aliases (&navn, *navn) are refused: a self-referencing alias would loop, nested
  ones blow up ("billion laughs").
* Nesting deeper than MAX_YAML_DEPTH (load/limits.py) is refused before anything is composed:
  libyaml's composer recurses in C, and ~25 000 nested `[` crash the whole process
  (segmentation fault), where no exception can be caught.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.load.limits import MAX_YAML_DEPTH

_BOOL_TAG = "tag:yaml.org,2002:bool"
_KEEP = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"}


class TextLoader(yaml.SafeLoader):
    """SafeLoader where plain scalars are text, except null and true/false."""


TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _KEEP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
TextLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
_SEQ, _MAP, _MERGE = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge"
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))   # SafeLoader's null pattern
_TRUE_FALSE = frozenset(("true", "True", "TRUE", "false", "False", "FALSE"))


class FastTextLoader(getattr(yaml, "CSafeLoader", TextLoader)):  # libyaml, same resolvers
    """TextLoader on libyaml's C parser: ~5× faster. Used first; on any problem the file is read
    again with the pure-Python TextLoader, so messages and line numbers are always the same."""

    def resolve(self, kind, value, implicit):
        """TextLoader's implicit resolvers (null, true/false, merge; everything else text) as set
        lookups instead of regular expressions: libyaml calls this for every node
        (tests/test_yamlsafe_fast.py checks it against the regular resolver)."""
        if kind is ScalarNode:
            if implicit[0]:
                if value in _NULL_WORDS:
                    return _NULL
                if value in _TRUE_FALSE:
                    return _BOOL_TAG
                if value == "<<":
                    return _MERGE
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


FastTextLoader.yaml_implicit_resolvers = TextLoader.yaml_implicit_resolvers


class _Slow(Exception):
    """A node the plain conversion does not handle: let PyYAML's constructor do it."""


def _plain_value(node: Node, seen: set[int]) -> Any:
    """The value PyYAML's SafeConstructor makes of a node with only our implicit tags (text,
    null, true/false, lists, mappings with text keys) — without its per-node bookkeeping.
    Anything else (explicit tags, merge keys, anchors used twice, odd keys) raises _Slow."""
    if id(node) in seen:
        raise _Slow  # an alias: PyYAML shares the object (or recurses); leave that to it
    seen.add(id(node))
    tag = node.tag
    if isinstance(node, ScalarNode):
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL_TAG and node.value in _TRUE_FALSE:  # not an explicit «!!bool yes»
            return node.value[0] in "tT"
        raise _Slow
    if tag == _SEQ and isinstance(node, SequenceNode):
        return [_plain_value(item, seen) for item in node.value]
    if tag == _MAP and isinstance(node, MappingNode):
        out = {}
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode) or knode.tag != _STR:
                raise _Slow
            out[knode.value] = _plain_value(vnode, seen)
        return out
    raise _Slow

# The words YAML 1.1 turns into booleans (besides true/false).
YAML11_BOOL_WORDS = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


@dataclass
class Located:
    """A mapping value with the 1-based line of its key."""

    value: Any
    line: int
    node: Node
    offset: int = 0                 # add to a node's 0-based mark line to get the file line

    def item_line(self, index: int) -> int:
        """1-based file line of item `index` of a list value (the key's line if unknown)."""
        if isinstance(self.node, SequenceNode) and 0 <= index < len(self.node.value):
            return self.node.value[index].start_mark.line + 1 + self.offset
        return self.line


@dataclass
class YamlProblem:
    line: int
    message: str
    hint: str
    key: str = ""                   # the top-level key whose value is affected, if known


def explain_yaml_error(exc: yaml.YAMLError, line_offset: int = 0) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = (mark.line + 1 if mark else 1) + line_offset
    problem = getattr(exc, "problem", None) or str(exc)
    if "'\\t'" in problem or "\t" in problem:
        return YamlProblem(line, "tabulatortegn (Tab) i YAML",
                           "YAML tillater bare mellomrom til innrykk. Bytt tabulatortegnet med "
                           "mellomrom (for eksempel to).")
    context = getattr(exc, "context", None)
    text = problem if not context else f"{context}, {problem}"
    return YamlProblem(line, f"ugyldig YAML ({text})",
                       "Sjekk innrykk, kolon etter hver nøkkel og at tekst med kolon eller "
                       "anførselstegn står i anførselstegn.")


def load_mapping(text: str, line_offset: int = 0) -> tuple[dict[str, Located] | None,
                                                            list[YamlProblem]]:
    """Parse a YAML mapping; return {key: Located} and the problems found.

    `line_offset` is added to every line (the front matter starts after `---`).
    Never raises for bad input: a YAML error becomes a problem and the mapping is None.
    """
    deep = yaml_too_deep(text, line_offset)
    if deep is not None:
        return None, [deep]
    result, problems = _load_mapping(text, line_offset, FastTextLoader)
    if problems:  # rare: report what the pure-Python loader says (the hints are written for it)
        return _load_mapping(text, line_offset, TextLoader)
    return result, problems


def _load_mapping(text: str, line_offset: int, loader_class) -> tuple[dict[str, Located] | None,
                                                                        list[YamlProblem]]:
    problems: list[YamlProblem] = []
    for n, raw in enumerate(text.split("\n"), start=1):
        if raw[: len(raw) - len(raw.lstrip(" \t"))].count("\t"):
            problems.append(YamlProblem(n + line_offset, "tabulatortegn (Tab) brukt til innrykk",
                                        "YAML tillater bare mellomrom til innrykk. Bytt "
                                        "tabulatortegnet med mellomrom."))
    if problems:
        return None, problems
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return {}, problems
        alias, traps = _scan(root, fix_style=loader_class is FastTextLoader)
        if alias is not None:  # the anchor's line: the alias is that very node
            problems.append(YamlProblem(alias.start_mark.line + 1 + line_offset,
                                        "YAML-anker og -alias (&navn og *navn) er ikke tillatt",
                                        "Skriv verdien ut der den skal stå, uten & og *."))
            return None, problems
        if not isinstance(root, MappingNode):
            problems.append(YamlProblem(root.start_mark.line + 1 + line_offset,
                                        "forventet nøkler og verdier (nøkkel: verdi)",
                                        "Hver linje skal ha formen «nøkkel: verdi»."))
            return None, problems
        result: dict[str, Located] = {}
        for knode, vnode in root.value:
            line = knode.start_mark.line + 1 + line_offset
            key = knode.value if isinstance(knode, ScalarNode) else str(knode.value)
            if key in result:
                problems.append(YamlProblem(line, f"nøkkelen «{key}» står to ganger",
                                            f"Slett den ene linjen med «{key}:»."))
                continue
            problems.extend(_trap(n, key, line_offset, name)
                            for n, name in traps.get(id(vnode), ()))
            value = _SLOW_MARK
            if loader_class is FastTextLoader:
                try:
                    value = _plain_value(vnode, set())
                except _Slow:
                    pass
            if value is _SLOW_MARK:
                value = loader.construct_object(vnode, deep=True)
            result[key] = Located(value, line, vnode, line_offset)
        return result, problems
    except yaml.YAMLError as exc:
        problems.append(explain_yaml_error(exc, line_offset))
        return None, problems
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. unhashable key, deep nesting
        problems.append(YamlProblem(1 + line_offset, f"ugyldig YAML ({exc})",
                                    "Forenkle strukturen: bare nøkkel: verdi og lister."))
        return None, problems
    finally:
        loader.dispose()


_SLOW_MARK = object()

# A line's indentation with the block indicators after it («  - », «- - », «? », «: »): every
# block collection on the line starts within it or right after it.
_LINE_START = re.compile(r"^[ \t?:-]*", re.M)
_EVENT_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the parser, not the composer
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _depth_bound(text: str) -> int:
    """An upper bound of the nesting depth, from the text alone. Along any chain of nested block
    collections the column where each starts never decreases, and each column serves at most
    twice (a mapping and, at the same column, the list that is its value); a collection starts at
    a line's first character after its indentation and indicators, so at a column no greater
    than the longest such prefix. Each flow level needs its own «[» or «{»."""
    flow = text.count("[") + text.count("{")
    if flow > MAX_YAML_DEPTH:
        return flow
    return 2 * (max(map(len, _LINE_START.findall(text)), default=0) + 1) + flow


def yaml_too_deep(text: str, line_offset: int = 0) -> YamlProblem | None:
    """The problem if `text` nests lists and mappings deeper than MAX_YAML_DEPTH, else None.
    Linear: a bound from the text settles almost every file; otherwise the parser's events are
    counted (the parser keeps its own stack, it never recurses), stopping at the first level too
    many. A YAML syntax error is left to the loader, which reports it."""
    if _depth_bound(text) <= MAX_YAML_DEPTH:
        return None
    parser = _EVENT_PARSER(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return YamlProblem(
                        event.start_mark.line + 1 + line_offset,
                        f"YAML er nestet mer enn {MAX_YAML_DEPTH} nivåer dypt (lister og "
                        "tabeller inni hverandre)",
                        "Bruk enkle verdier og lister, som i de andre eksemplene: "
                        "«kommuner: [Tydal]». Fjern overflødige [ ] og { }.")
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


def _scan(root: Node, fix_style: bool) -> tuple[Node | None, dict[int, list[ScalarNode]]]:
    """One pass over the tree (every front matter goes through it, so no generator, no second
    walk): the first node met twice — an alias (*navn) of an anchor (&navn); entries have no use
    for them, an alias of its own parent (`a: &r [*r]`) would send any walk round in circles and
    nested ones multiply the work ("billion laughs") —; libyaml's plain-scalar style made the
    same as PyYAML's (None, not ""); and, per top-level value, its plain scalars that YAML 1.1
    reads as booleans, each with the key of the mapping it is in (None: the top-level key's)."""
    seen: set[int] = set()
    traps: dict[int, list[tuple[ScalarNode, str | None]]] = {}
    tops = root.value if isinstance(root, MappingNode) else [(None, root)]
    for knode, vnode in tops:
        found = traps.setdefault(id(vnode), [])
        stack = [(vnode, found, None)] + ([(knode, None, None)] if knode is not None else [])
        while stack:
            n, into, name = stack.pop()
            if id(n) in seen:
                return n, traps
            seen.add(id(n))
            if isinstance(n, ScalarNode):
                if fix_style and n.style == "":
                    n.style = None
                if into is not None and n.style is None and YAML11_BOOL_WORDS.match(n.value):
                    into.append((n, name))
            elif isinstance(n, SequenceNode):
                stack.extend((item, into, name) for item in n.value)
            elif isinstance(n, MappingNode):
                for k, v in n.value:
                    stack.extend(((k, into, name),
                                  (v, into, k.value if isinstance(k, ScalarNode) else name)))
    return None, traps


def _trap(n: ScalarNode, key: str, line_offset: int, name: str | None = None) -> YamlProblem:
    """`key`: the top-level key the value is under; `name`: the key right above it, if nested
    («lean_pages: no» under «plugins:» is named as «lean_pages: no»)."""
    shown = name or key
    return YamlProblem(
        n.start_mark.line + 1 + line_offset,
        f"«{shown}: {n.value}» er tvetydig: i YAML 1.1 leses {n.value} som "
        f"{'usann (false)' if n.value.lower() in ('n', 'no', 'off') else 'sann (true)'}"
        ", ikke som tekst",
        "Språkkoden for norsk er nb (bokmål) eller nn (nynorsk). Mente du tekst, "
        f"sett den i anførselstegn: \"{n.value}\"." if key == "sprak" else
        f"Mente du ordet, sett det i anførselstegn: {shown}: \"{n.value}\". "
        "Ellers: bruk en gyldig verdi.", key)


def load_plain(text: str) -> Any:
    """Whole-document load with the text loader (for trusted data files in the repo)."""
    loader = TextLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
