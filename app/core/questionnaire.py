"""The questionnaire model and its YAML loader (SPEC section 2). Pure Python."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
KINDS = ("scale", "single", "multi", "text")
TYPES = ("pilot", "analysis", "dialogue", "policy")
EFFECTS = ("high", "medium", "low")
INFLUENCES = ("own", "collaboration", "external")
LEVELS = (1, 2, 3, 4, 5)
SCOPES = ("organisation", "department")
ESTIMABLE = ("type", "months", "effect", "influence")
REGISTER_CONDITIONS = ("red_entry", "non_eu_critical", "supplier_concentration", "contract_window")
LAYER_GROUPS = ("digital-solutions", "it-infrastructure")

Text = dict[str, str]


class QuestionnaireError(Exception):
    """Raised with every problem of a questionnaire file, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    levels: tuple[Text, ...]
    weight: float = 1.0
    help: Text | None = None
    source: str = ""
    block: str = ""
    scope: str = "department"

    @property
    def organisation_wide(self) -> bool:
        """True when the organisation answers this question once for every department."""
        return self.scope == "organisation"


@dataclass(frozen=True)
class Block:
    id: str
    title: Text
    intro: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Option:
    id: str
    label: Text


@dataclass(frozen=True)
class StrategicQuestion:
    id: str
    kind: str
    text: Text
    options: tuple[Option, ...] = ()
    help: Text | None = None

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The ids of the options, in order."""
        return tuple(o.id for o in self.options)


@dataclass(frozen=True)
class Track:
    id: str
    title: Text


@dataclass(frozen=True)
class Initiative:
    id: str
    track: str
    title: Text
    description: Text
    type: str
    months: int
    effect: str
    influence: str
    triggers: tuple[str, ...]
    threshold: float = 3
    source: str = ""
    estimated: tuple[str, ...] = ()
    register_triggers: tuple[str, ...] = ()

    def is_estimated(self, attribute: str) -> bool:
        """True when the report does not give this attribute and the value is an estimate."""
        return attribute in self.estimated


@dataclass(frozen=True)
class GlossaryEntry:
    term: Text
    text: Text


@dataclass(frozen=True)
class StackLayer:
    id: str
    group: str
    title: Text


@dataclass(frozen=True)
class Previous:
    """How answers of an older version carry into this one: new question id -> old id.

    Question ids not in the mapping carry over unchanged (SPEC section 2).
    """

    version: str
    questions: dict[str, str] = field(default_factory=dict)

    def old_id(self, question_id: str) -> str:
        """The id this question had in the previous version."""
        return self.questions.get(question_id, question_id)

    def source_of(self, question_id: str, old_ids: set[str] | frozenset[str]) -> str | None:
        """The earlier version's id this question takes its answer from, or None."""
        if question_id in self.questions:
            return self.questions[question_id]
        return question_id if question_id in old_ids else None


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    locales: tuple[str, ...]
    title: Text
    blocks: tuple[Block, ...]
    strategic_questions: tuple[StrategicQuestion, ...]
    tracks: tuple[Track, ...]
    initiatives: tuple[Initiative, ...]
    content_hash: str = ""
    previous: Previous | None = None
    questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)
    glossary: tuple[GlossaryEntry, ...] = ()
    stack_layers: tuple[StackLayer, ...] = ()

    def __post_init__(self) -> None:
        if not self.questions:
            qs = {q.id: q for b in self.blocks for q in b.questions}
            object.__setattr__(self, "questions", qs)

    @property
    def key(self) -> tuple[str, str]:
        """The (id, version) pair that names this questionnaire."""
        return (self.id, self.version)

    def block(self, block_id: str) -> Block:
        """The block with this id (KeyError if none)."""
        for b in self.blocks:
            if b.id == block_id:
                return b
        raise KeyError(block_id)

    def strategic(self, question_id: str) -> StrategicQuestion | None:
        """The strategic question with this id, or None."""
        return next((s for s in self.strategic_questions if s.id == question_id), None)

    def track(self, track_id: str) -> Track:
        """The track with this id (KeyError if none)."""
        return next(t for t in self.tracks if t.id == track_id)

    def initiative(self, initiative_id: str) -> Initiative:
        """The initiative with this id (KeyError if none)."""
        for i in self.initiatives:
            if i.id == initiative_id:
                return i
        raise KeyError(initiative_id)

    @property
    def organisation_questions(self) -> tuple[str, ...]:
        """Ids of the questions answered once for the whole organisation, in order."""
        return tuple(q.id for b in self.blocks for q in b.questions if q.organisation_wide)

    def fingerprint(self) -> dict[str, Any]:
        """What may not change under existing assessments: ids, weights, triggers, thresholds.

        Scopes and register triggers change scores and recommendations too; they are part
        of the fingerprint only when used, so files without them keep their fingerprint.
        """
        out: dict[str, Any] = {
            "blocks": [[b.id, [[q.id, q.weight] for q in b.questions]] for b in self.blocks],
            "strategic": [[s.id, s.kind, list(s.option_ids)] for s in self.strategic_questions],
            "initiatives": [[i.id, list(i.triggers), i.threshold] for i in self.initiatives],
        }
        if self.organisation_questions:
            out["organisation_questions"] = list(self.organisation_questions)
        if any(i.register_triggers for i in self.initiatives):
            out["register_triggers"] = [
                [i.id, list(i.register_triggers)] for i in self.initiatives if i.register_triggers
            ]
        return out


def localized(text: Text | None, locale: str, fallback: str = "da") -> str:
    """The text in this locale, else the fallback locale, else any."""
    if not text:
        return ""
    return text.get(locale) or text.get(fallback) or next(iter(text.values()), "")


MAX_SHOWN = 80  # characters of a bad value quoted in a message


def _show(value: Any) -> str:
    """A bad value for a message: its repr, cut short so a huge value cannot flood the output."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + f"… ({len(text)} characters)"


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases: a few hundred bytes of aliases can expand to
    gigabytes (a "billion laughs"), and a questionnaire never needs them."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&, *) are not allowed in questionnaire files",
                event.start_mark)
        return super().compose_node(parent, index)


class _Reader:
    """Collects every problem of one file while building the model."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[str] = []
        self.locales: tuple[str, ...] = ()

    def error(self, path: str, message: str) -> None:
        if len(message) > 4 * MAX_SHOWN:
            message = message[:4 * MAX_SHOWN] + "…"
        self.problems.append(f"{self.name}: {path[:2 * MAX_SHOWN]}: {message}")

    def mapping(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            self.error(path, "expected a mapping")
            return {}
        return value

    def seq(self, value: Any, path: str, required: bool = True) -> list:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.error(path, "expected a list")
            return []
        return value

    def ident(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not ID_RE.match(value):
            self.error(path, f"invalid id {_show(value)} (lowercase letters, digits and '-')")
            return str(value)[:MAX_SHOWN]
        return value

    def text(self, value: Any, path: str, required: bool = True) -> Text | None:
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            self.error(path, "expected a text for each locale " + ", ".join(self.locales))
            return {}
        for loc in self.locales:
            v = value.get(loc)
            if not isinstance(v, str) or not v.strip():
                self.error(f"{path}.{loc}", "missing text for locale")
        for loc in value:
            if loc not in self.locales:
                self.error(f"{path}.{loc}", "locale not listed in 'locales'")
        return {k: str(v).strip() for k, v in value.items() if isinstance(v, str)}

    def choice(self, value: Any, allowed: tuple[str, ...], path: str) -> str:
        if value not in allowed:
            self.error(path, f"{_show(value)} is not one of {', '.join(allowed)}")
        return str(value)

    def number(self, value: Any, path: str, default: float, positive: bool = True) -> float:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            positive and value <= 0
        ):
            self.error(path, f"expected a number > 0, got {_show(value)}")
            return default
        return value

    def unique(self, ids: list[str], path: str, what: str) -> None:
        seen: set[str] = set()
        for n, i in enumerate(ids):
            if i in seen:
                self.error(f"{path}[{n}].id", f"duplicate {what} id '{i}'")
            seen.add(i)


def parse_questionnaire(data: Any, name: str, content_hash: str = "") -> Questionnaire:
    """Build a Questionnaire from parsed YAML; raise QuestionnaireError with every problem."""
    r = _Reader(name)
    data = r.mapping(data, "$")
    qid = r.ident(data.get("id"), "id")
    version = data.get("version")
    if not isinstance(version, (int, str)) or isinstance(version, bool) or not str(version):
        r.error("version", "missing version")
    locales = data.get("locales")
    if not isinstance(locales, list) or not locales or not all(isinstance(x, str) for x in locales):
        r.error("locales", "expected a list of locale codes")
        locales = [x for x in locales or [] if isinstance(x, str)] or ["da"]
    r.locales = tuple(locales)
    title = r.text(data.get("title"), "title")
    blocks = _blocks(r, data.get("blocks"))
    question_ids = {q.id for b in blocks for q in b.questions}
    strategic = _strategic_questions(r, data.get("strategic_questions"), question_ids)
    tracks = _tracks(r, data.get("tracks"))
    initiatives = _initiatives(r, data.get("initiatives"), {t.id for t in tracks}, question_ids)
    previous = _previous(r, data.get("previous"), question_ids | {x.id for x in strategic},
                         str(version))
    glossary = _glossary(r, data.get("glossary"))
    stack_layers = _stack_layers(r, data.get("stack_layers"))
    if r.problems:
        raise QuestionnaireError(r.problems)
    return Questionnaire(
        id=qid, version=str(version), locales=r.locales, title=title or {},
        blocks=tuple(blocks), strategic_questions=tuple(strategic), tracks=tuple(tracks),
        initiatives=tuple(initiatives), content_hash=content_hash, previous=previous,
        questions={q.id: q for b in blocks for q in b.questions},
        glossary=glossary, stack_layers=stack_layers,
    )


def _question(r: _Reader, q: Any, qp: str, block_id: str) -> Question:
    q = r.mapping(q, qp)
    levels_raw = q.get("levels")
    levels: list[Text] = []
    if not isinstance(levels_raw, dict) or sorted(levels_raw, key=str) != [1, 2, 3, 4, 5]:
        r.error(f"{qp}.levels", "expected exactly five level descriptors, keyed 1 to 5")
    else:
        levels = [r.text(levels_raw[n], f"{qp}.levels.{n}") or {} for n in LEVELS]
    return Question(
        id=r.ident(q.get("id"), f"{qp}.id"),
        text=r.text(q.get("text"), f"{qp}.text") or {},
        help=r.text(q.get("help"), f"{qp}.help", required=False),
        weight=r.number(q.get("weight"), f"{qp}.weight", 1.0),
        levels=tuple(levels),
        source=str(q.get("source") or ""),
        block=block_id,
        scope=_scope(r, q, qp),
    )


def _blocks(r: _Reader, raw: Any) -> list[Block]:
    """The blocks with their questions; block and question ids must be unique."""
    blocks = []
    for bn, b in enumerate(r.seq(raw, "blocks")):
        bp = f"blocks[{bn}]"
        b = r.mapping(b, bp)
        bid = r.ident(b.get("id"), f"{bp}.id")
        questions = [_question(r, q, f"{bp}.questions[{qn}]", bid)
                     for qn, q in enumerate(r.seq(b.get("questions"), f"{bp}.questions"))]
        if not questions:
            r.error(f"{bp}.questions", "a block needs at least one question")
        blocks.append(Block(
            id=bid,
            title=r.text(b.get("title"), f"{bp}.title") or {},
            intro=r.text(b.get("intro"), f"{bp}.intro") or {},
            questions=tuple(questions),
        ))
    if not blocks:
        r.error("blocks", "at least one block is needed")
    r.unique([b.id for b in blocks], "blocks", "block")
    seen_q: set[str] = set()
    for b_n, b in enumerate(blocks):
        for q_n, q in enumerate(b.questions):
            if q.id in seen_q:
                r.error(f"blocks[{b_n}].questions[{q_n}].id", f"duplicate question id '{q.id}'")
            seen_q.add(q.id)
    return blocks


def _strategic_questions(r: _Reader, raw: Any, question_ids: set[str]) -> list[StrategicQuestion]:
    """The strategic questions; their ids differ from each other and from the questions'."""
    strategic = []
    for sn, s in enumerate(r.seq(raw, "strategic_questions", False)):
        sp = f"strategic_questions[{sn}]"
        s = r.mapping(s, sp)
        kind = r.choice(s.get("kind"), KINDS, f"{sp}.kind")
        options = []
        for on, o in enumerate(r.seq(s.get("options"), f"{sp}.options", required=False)):
            o = r.mapping(o, f"{sp}.options[{on}]")
            options.append(Option(
                id=r.ident(o.get("id"), f"{sp}.options[{on}].id"),
                label=r.text(o.get("label"), f"{sp}.options[{on}].label") or {},
            ))
        if kind != "text" and len(options) < 2:
            r.error(f"{sp}.options", f"a '{kind}' question needs at least two options")
        r.unique([o.id for o in options], f"{sp}.options", "option")
        strategic.append(StrategicQuestion(
            id=r.ident(s.get("id"), f"{sp}.id"), kind=kind,
            text=r.text(s.get("text"), f"{sp}.text") or {},
            help=r.text(s.get("help"), f"{sp}.help", required=False),
            options=tuple(options),
        ))
    r.unique([s.id for s in strategic], "strategic_questions", "strategic question")
    for sn, s in enumerate(strategic):
        if s.id in question_ids:
            r.error(f"strategic_questions[{sn}].id", f"id '{s.id}' is also a question id")
    return strategic


def _tracks(r: _Reader, raw: Any) -> list[Track]:
    tracks = []
    for tn, t in enumerate(r.seq(raw, "tracks", required=False)):
        t = r.mapping(t, f"tracks[{tn}]")
        tracks.append(Track(id=r.ident(t.get("id"), f"tracks[{tn}].id"),
                            title=r.text(t.get("title"), f"tracks[{tn}].title") or {}))
    r.unique([t.id for t in tracks], "tracks", "track")
    return tracks


def _initiative(r: _Reader, i: Any, ip: str, track_ids: set[str], question_ids: set[str],
                ) -> Initiative:
    i = r.mapping(i, ip)
    track = i.get("track")
    if track not in track_ids:
        r.error(f"{ip}.track", f"unknown track {_show(track)}")
    triggers = r.seq(i.get("triggers"), f"{ip}.triggers")
    if not triggers:
        r.error(f"{ip}.triggers", "at least one trigger question is needed")
    for tn, t in enumerate(triggers):
        if t not in question_ids:
            r.error(f"{ip}.triggers[{tn}]", f"unknown question {_show(t)}")
        elif t in triggers[:tn]:
            r.error(f"{ip}.triggers[{tn}]", f"question {_show(t)} is listed twice")
    months = i.get("months")
    if isinstance(months, bool) or not isinstance(months, int) or months <= 0:
        r.error(f"{ip}.months", f"expected a whole number of months > 0, got {_show(months)}")
        months = 0
    threshold = r.number(i.get("threshold"), f"{ip}.threshold", 3)
    if not 1 < threshold <= 5:
        r.error(f"{ip}.threshold", f"expected a threshold above 1 and at most 5, got {_show(threshold)}")
    return Initiative(
        id=r.ident(i.get("id"), f"{ip}.id"), track=str(track),
        title=r.text(i.get("title"), f"{ip}.title") or {},
        description=r.text(i.get("description"), f"{ip}.description") or {},
        type=r.choice(i.get("type"), TYPES, f"{ip}.type"),
        months=months,
        effect=r.choice(i.get("effect"), EFFECTS, f"{ip}.effect"),
        influence=r.choice(i.get("influence"), INFLUENCES, f"{ip}.influence"),
        triggers=tuple(str(t) for t in triggers),
        threshold=threshold,
        source=str(i.get("source") or ""),
        estimated=_subset(r, i.get("estimated"), ESTIMABLE, f"{ip}.estimated", "attribute"),
        register_triggers=_subset(r, i.get("register_triggers"), REGISTER_CONDITIONS,
                                  f"{ip}.register_triggers", "register condition"),
    )


def _initiatives(r: _Reader, raw: Any, track_ids: set[str], question_ids: set[str],
                 ) -> list[Initiative]:
    initiatives = [_initiative(r, i, f"initiatives[{n}]", track_ids, question_ids)
                   for n, i in enumerate(r.seq(raw, "initiatives", required=False))]
    r.unique([i.id for i in initiatives], "initiatives", "initiative")
    return initiatives


def _scope(r: _Reader, q: dict, qp: str) -> str:
    """A question's scope (SPEC section 5): organisation or department, default department."""
    value = q.get("scope", "department")
    return r.choice(value, SCOPES, f"{qp}.scope")


def _subset(r: _Reader, value: Any, allowed: tuple[str, ...], path: str, what: str
            ) -> tuple[str, ...]:
    """An optional list of distinct names drawn from `allowed`."""
    items = r.seq(value, path, required=False)
    out: list[str] = []
    for n, item in enumerate(items):
        if item not in allowed:
            r.error(f"{path}[{n}]", f"unknown {what} {_show(item)} (one of {', '.join(allowed)})")
        elif item in out:
            r.error(f"{path}[{n}]", f"{what} {_show(item)} is listed twice")
        else:
            out.append(item)
    return tuple(out)


def _glossary(r: _Reader, value: Any) -> tuple[GlossaryEntry, ...]:
    """The glossary: a term and its explanation in every locale; terms unique per locale."""
    entries = []
    for n, g in enumerate(r.seq(value, "glossary", required=False)):
        g = r.mapping(g, f"glossary[{n}]")
        entries.append(GlossaryEntry(term=r.text(g.get("term"), f"glossary[{n}].term") or {},
                                     text=r.text(g.get("text"), f"glossary[{n}].text") or {}))
    for loc in r.locales:
        seen: set[str] = set()
        for n, e in enumerate(entries):
            term = e.term.get(loc, "").casefold()
            if term and term in seen:
                r.error(f"glossary[{n}].term.{loc}", f"duplicate term {_show(e.term[loc])}")
            seen.add(term)
    return tuple(entries)


def _stack_layers(r: _Reader, value: Any) -> tuple[StackLayer, ...]:
    """The technology-stack layers of the register (SPEC section 14)."""
    layers = []
    for n, s in enumerate(r.seq(value, "stack_layers", required=False)):
        sp = f"stack_layers[{n}]"
        s = r.mapping(s, sp)
        layers.append(StackLayer(id=r.ident(s.get("id"), f"{sp}.id"),
                                 group=r.choice(s.get("group"), LAYER_GROUPS, f"{sp}.group"),
                                 title=r.text(s.get("title"), f"{sp}.title") or {}))
    r.unique([s.id for s in layers], "stack_layers", "stack layer")
    return tuple(layers)


def _previous(r: _Reader, value: Any, question_ids: set[str], version: str) -> Previous | None:
    """The link to the previous version; new ids must be questions of this file."""
    if value is None:
        return None
    value = r.mapping(value, "previous")
    prev = value.get("version")
    if not isinstance(prev, (int, str)) or isinstance(prev, bool) or not str(prev):
        r.error("previous.version", "missing version")
    elif str(prev) == version:
        r.error("previous.version", "a version cannot follow itself")
    mapping = r.mapping(value.get("questions", {}) or {}, "previous.questions")
    questions: dict[str, str] = {}
    for new, old in mapping.items():
        path = f"previous.questions.{new}"
        if new not in question_ids:
            r.error(path, f"unknown question {_show(new)} in this version")
        elif not isinstance(old, str) or not ID_RE.match(old):
            r.error(path, f"invalid id {_show(old)} (lowercase letters, digits and '-')")
        else:
            questions[new] = old
    return Previous(version=str(prev), questions=questions)


def check_previous(q: Questionnaire, earlier: Questionnaire, name: str) -> list[str]:
    """Problems with q.previous against the earlier version: mapped-from ids must exist there."""
    if q.previous is None:
        return []
    old_ids = set(earlier.questions) | {s.id for s in earlier.strategic_questions}
    return [f"{name}: previous.questions.{new}: unknown question {old!r} in version "
            f"{earlier.version}"
            for new, old in q.previous.questions.items() if old not in old_ids]


def load_questionnaire(path: Path, name: str | None = None) -> Questionnaire:
    """Load and validate one questionnaire file; raise QuestionnaireError listing every problem."""
    name = name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise QuestionnaireError([f"{name}: cannot read file: {exc.strerror}"]) from None
    try:
        data = yaml.load(raw, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}" if where else "$"
        raise QuestionnaireError([f"{name}: {line}: invalid YAML: {str(exc)[:4 * MAX_SHOWN]}"]) from None
    q = parse_questionnaire(data, name, hashlib.sha256(raw).hexdigest())
    expected = (path.parent.name, path.stem)
    if (q.id, q.version) != expected:
        raise QuestionnaireError([
            f"{name}: id: file must be named <id>/<version>.yaml; "
            f"found id '{q.id}' version '{q.version}'"
        ])
    return q


def load_directory(root: Path) -> tuple[dict[tuple[str, str], Questionnaire], list[str]]:
    """Load every questionnaires/<id>/<version>.yaml; return them and every problem found."""
    found: dict[tuple[str, str], Questionnaire] = {}
    problems: list[str] = []
    names: dict[tuple[str, str], str] = {}
    for path in sorted(root.glob("*/*.yaml")):
        name = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        try:
            q = load_questionnaire(path, name)
        except QuestionnaireError as exc:
            problems.extend(exc.problems)
            continue
        found[q.key] = q
        names[q.key] = name
    for key, q in list(found.items()):
        earlier = found.get((q.id, q.previous.version)) if q.previous else None
        if earlier is not None:
            bad = check_previous(q, earlier, names[key])
            if bad:
                problems.extend(bad)
                del found[key]
    return found, problems
