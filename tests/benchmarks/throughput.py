"""Page throughput under gunicorn: each page against the bare Flask baseline, same run."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Answer as AnswerRow

from . import load
from .client import Session

POST_TARGET, PAGE_TARGET = 0.30, 0.50
FLOOR_PAGE = "the same template after its 2 reads (user + memberships; assessment + answers), plain SQL"
FLOOR_SAVE = ("its 2 reads and 1 transaction (UPDATE per answer with version check, audit rows), "
              "plain SQL, 303")


@dataclass
class Measured:
    """One page's load result beside the baseline measured around it."""

    name: str
    path: str
    bytes: int
    page: load.LoadResult
    baseline: load.LoadResult
    target: float | None
    floor: load.LoadResult | None = None  # the same page's minimal database work (baseline_app)
    floor_what: str = ""

    @property
    def ratio(self) -> float:
        """The page's requests/s as a share of the baseline's."""
        return self.page.rps / self.baseline.rps if self.baseline.rps else 0.0

    @property
    def of_floor(self) -> float:
        """The page's requests/s as a share of the floor's."""
        return self.page.rps / self.floor.rps if self.floor and self.floor.rps else 0.0

    @property
    def floor_ratio(self) -> float:
        """The floor's requests/s as a share of the bare template's."""
        return self.floor.rps / self.baseline.rps if self.floor and self.baseline.rps else 0.0


def _combine(results: list[load.LoadResult]) -> load.LoadResult:
    n = sum(r.requests for r in results)
    seconds = sum(r.requests / r.rps for r in results if r.rps)
    return load.LoadResult(n / seconds if seconds else 0.0,
                           max(r.p50_ms for r in results), max(r.p95_ms for r in results),
                           n, sum(r.errors for r in results))


def alternate(page_run, baseline_run, rounds: int, floor_run=None
              ) -> tuple[load.LoadResult, load.LoadResult, load.LoadResult | None]:
    """Run baseline, floor (if any) and page alternately (B F P B F P ...), so drifting machine
    load hits all of them; (page, baseline, floor)."""
    pages, bases, floors = [], [], []
    for _ in range(rounds):
        bases.append(baseline_run())
        if floor_run is not None:
            floors.append(floor_run())
        pages.append(page_run())
    return _combine(pages), _combine(bases), _combine(floors) if floors else None


def post_clients(app, session: Session, drafts: list[int], block_id: str,
                 questions: list[str], floor: str | None = None) -> list[dict]:
    """Per-wrk-thread POST state read from the database: path, cookie, CSRF, levels, versions.

    With `floor` (the floor's save path with its ?user=), the paths are the floor's."""
    csrf = session.csrf(f"/assessments/{drafts[0]}/block/{block_id}")
    clients = []
    with app.app_context():
        for aid in drafts:
            rows = {r.question_id: r for r in db.session.scalars(
                select(AnswerRow).where(AnswerRow.assessment_id == aid))}
            clients.append({
                "path": f"{floor}&assessment={aid}" if floor else
                f"/assessments/{aid}/block/{block_id}", "cookie": session.cookie_header(),
                "csrf": csrf, "levels": [(rows[q].level or 0) if q in rows else 0 for q in questions],
                "versions": [rows[q].version if q in rows else 0 for q in questions]})
        db.session.remove()
    return clients


def measure(app, base: str, baseline: str, session: Session, token: str, pages: dict,
            drafts: list[int], block_id: str, questions: list[str], seconds: float,
            rounds: int, floors: dict | None = None, user_id: int | None = None) -> list[Measured]:
    """Measure every page of `pages` ({name: (path, kind)}) and the save against baselines.

    `floors` ({name: assessment id}) names the pages measured against the database floor
    too, as the user `user_id`; the save always is when `user_id` is given."""
    floors = floors or {}
    auth = {"Cookie": session.cookie_header(), "User-Agent": "bench"}
    api = {"Authorization": f"Bearer {token}", "User-Agent": "bench"}
    out = []
    sizes = {}
    for name, (path, kind) in pages.items():
        r = Session(base, token).get(path) if kind == "api" else session.get(path)
        if r.status != 200:
            raise RuntimeError(f"{name}: GET {path} answered {r.status}")
        sizes[name] = len(r.body)
    for name, (path, kind) in pages.items():
        size = sizes[name]
        bpath = f"{baseline}/json?bytes={size}" if kind == "api" else f"{baseline}/page?bytes={size}"
        load.get(base + path, auth if kind != "api" else api, 1)  # warm-up
        load.get(bpath, {}, 1)
        headers = auth if kind != "api" else api
        fpath = (f"{baseline}/floor/page?bytes={size}&user={user_id}&assessment={floors[name]}"
                 if name in floors else None)
        if fpath:
            load.get(fpath, {}, 1)
        page, bl, fl = alternate(lambda p=path, h=headers: load.get(base + p, h, seconds),
                                 lambda b=bpath: load.get(b, {}, seconds), rounds,
                                 (lambda f=fpath: load.get(f, {}, seconds)) if fpath else None)
        out.append(Measured(name, path, size, page, bl, PAGE_TARGET if kind == "page" else None,
                            fl, FLOOR_PAGE))
    # Saving a page of answers: the baseline is the bare page the size of the questionnaire page.
    qname = next(n for n, (_, k) in pages.items() if k == "page")
    bpath = f"{baseline}/page?bytes={sizes[qname]}"
    first = post_clients(app, session, drafts, block_id, questions)
    check = session.post(first[0]["path"], _form(first[0], questions, 0))
    if check.status != 303:
        raise RuntimeError(f"save: POST {first[0]['path']} answered {check.status}: "
                           f"{check.text[:500]}")

    def post_run():
        return load.post_forms(base, post_clients(app, session, drafts, block_id, questions),
                               questions, seconds)
    def floor_run():
        return load.post_forms(baseline, post_clients(
            app, session, drafts, block_id, questions, f"/floor/save?user={user_id}"),
            questions, seconds)
    page, bl, fl = alternate(post_run, lambda: load.get(bpath, {}, seconds), rounds,
                             floor_run if user_id is not None else None)
    out.append(Measured("save a page of answers (POST)", first[0]["path"].replace(
        str(drafts[0]), "<id>"), 0, page, bl, POST_TARGET, fl, FLOOR_SAVE))
    return out


def _form(c: dict, questions: list[str], n: int) -> dict:
    data = {"csrf_token": c["csrf"], "go": "stay"}
    for i, q in enumerate(questions, 1):
        data[f"{q}-answer"] = str((c["levels"][i - 1] + n) % 5 + 1)
        data[f"{q}-target"] = "5"
        data[f"{q}-comment"] = ""
        data[f"{q}-version"] = str(c["versions"][i - 1] + n)
    return data
