"""PDF cost: the assessment report against plain ReportLab of the same page count, same run."""
from __future__ import annotations

import io
import re
import statistics
import time

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from app.extensions import db
from app.models import Assessment, Membership, Organisation

PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
WORDS = ("Kommunen har en plan for exit fra leverandøren, og aftalerne beskriver hvordan data "
         "kan flyttes til en anden platform inden for rimelig tid. ")


def pages(pdf: bytes) -> int:
    """The number of pages of a PDF."""
    return len(PAGE.findall(pdf))


def _dejavu_styles():
    """The sample styles set in the report's embedded TTF font (DejaVu Sans)."""
    from pathlib import Path

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    fonts = Path(__file__).resolve().parents[2] / "app" / "pdf" / "fonts"
    if "BenchDejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BenchDejaVu", str(fonts / "DejaVuSans.ttf")))
    styles = getSampleStyleSheet()
    for name in ("Heading1", "BodyText"):
        styles[name].fontName = "BenchDejaVu"
    return styles


def plain_document(n_pages: int, paragraphs: int = 5, ttf: bool = False) -> bytes:
    """A plain ReportLab document of n pages: a heading and some paragraphs of text on each."""
    styles = _dejavu_styles() if ttf else getSampleStyleSheet()
    story = []
    for n in range(n_pages):
        story.append(Paragraph(f"Afsnit {n + 1}", styles["Heading1"]))
        story += [Paragraph(WORDS * 6, styles["BodyText"]) for _ in range(paragraphs)]
        if n + 1 < n_pages:
            story.append(PageBreak())
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title="Plain").build(story)
    return buf.getvalue()


def fullest(n_pages: int, ttf: bool = False) -> int:
    """The most paragraphs per page for which the plain document still has n pages."""
    k = max((k for k in range(1, 9) if pages(plain_document(n_pages, k, ttf=ttf)) == n_pages),
            default=None)
    if k is None:
        raise RuntimeError(f"cannot build a plain document of {n_pages} pages")
    return k


def _timed(fn) -> tuple[float, bytes]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def measure(app, assessment_id: int, org_slug: str, period: str, repeats: int = 7) -> dict:
    """Median seconds of the assessment PDF and the plain document (interleaved), org PDF time."""
    from app.reports import assessment_pdf, organisation_pdf
    with app.app_context(), app.test_request_context():
        a = db.session.get(Assessment, assessment_id)
        first = assessment_pdf(a, "da")
        n = pages(first)
        # As much plain text per page as still fits on one page: full pages, no overflow,
        # in each font (DejaVu is wider than Helvetica).
        k = fullest(n)
        k_ttf = fullest(n, ttf=True)
        report, baseline, ttf = [], [], []
        for _ in range(repeats):
            db.session.expire_all()
            report.append(_timed(lambda: assessment_pdf(a, "da"))[0])
            baseline.append(_timed(lambda: plain_document(n, k))[0])
            ttf.append(_timed(lambda: plain_document(n, k_ttf, ttf=True))[0])
        org = db.session.scalar(db.select(Organisation).where(Organisation.slug == org_slug))
        m = Membership(organisation_id=org.id, role="admin")
        org_times, org_pages = [], 0
        for _ in range(max(3, repeats // 2)):
            db.session.expire_all()
            t, pdf = _timed(lambda: organisation_pdf(org, m, period, "da"))
            org_times.append(t)
            org_pages = pages(pdf)
        db.session.remove()
    return {"pages": n, "paragraphs": k, "paragraphs_ttf": k_ttf,
            "report": statistics.median(report), "plain": statistics.median(baseline),
            "plain_ttf": statistics.median(ttf),
            "org": statistics.median(org_times), "org_pages": org_pages}
