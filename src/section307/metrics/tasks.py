"""Background work: the quarterly PDF report and the nightly rebuild of the detention fact table."""

from __future__ import annotations

import io
import logging

from django.utils import timezone
from django_tasks import task

from section307.metrics.models import QuarterlyReport

logger = logging.getLogger(__name__)


def report_pdf(*, fiscal_year: int, quarter: int) -> bytes:
    """The quarterly report: indicators with targets for the fiscal year, then the quarter's port figures."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from section307.metrics import selectors
    from section307.metrics.figures import fiscal_quarter_bounds
    from section307.metrics.tables import display

    board = selectors.dashboard(fiscal_year=fiscal_year)
    start, end = fiscal_quarter_bounds(fiscal_year, quarter)
    styles = getSampleStyleSheet()
    story = [
        Paragraph(f"Forced-labor enforcement: quarterly report, FY{fiscal_year} Q{quarter}", styles["Title"]),
        Paragraph(
            f"Quarter {start:%d %B %Y} to {end:%d %B %Y}. Built {timezone.now():%Y-%m-%d %H:%M} UTC.", styles["Normal"]
        ),
        Spacer(1, 12),
    ]

    def add(table: selectors.Table, *, limit: int = 25) -> None:
        story.append(Paragraph(str(table.title), styles["Heading2"]))
        data = [[str(c.label) for c in table.columns]]
        for row in table.body()[:limit]:
            data.append([display(row.get(c.key), c.kind) for c in table.columns])
        grid = Table(data, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dfe1e2")),
                ]
            )
        )
        story.extend([grid, Spacer(1, 10)])

    add(selectors.indicator_table(board))
    story.append(Paragraph("Detentions in the quarter", styles["Heading2"]))
    n = selectors.quarter_detentions(fiscal_year=fiscal_year, quarter=quarter)
    story.append(Paragraph(f"{n} detention(s) with a notice dated in the quarter.", styles["Normal"]))
    for t in selectors.port_tables(fiscal_year=fiscal_year)[:3]:
        add(t)
    for key in (
        "clock_compliance",
        "cases_by_phase",
        "petitions_by_outcome",
        "protests_by_outcome",
        "outcomes_by_kind",
    ):
        found = board.table(key)
        if found is not None:
            add(found)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=letter, title=f"FY{fiscal_year} Q{quarter}").build(story)
    return out.getvalue()


@task()
def report_build(report_id: int) -> str:
    """Build the report's PDF and end the report as ready or failed (``metrics.lifecycle``). A report no
    longer queued (a second run of the same task) is left as it is."""
    from section307.metrics import services

    report = QuarterlyReport.objects.get(pk=report_id)
    if report.status != QuarterlyReport.Status.QUEUED:
        return report.status
    try:
        data = report_pdf(fiscal_year=report.fiscal_year, quarter=report.quarter)
    except Exception as exc:  # the request must end as failed, never stay queued
        logger.exception("quarterly report %s failed", report_id)
        return services.report_failed(actor=None, report=report, error=str(exc)).status
    return services.report_built(actor=None, report=report, pdf=data).status


@task()
def facts_refresh() -> int:
    from section307.metrics.facts import facts_rebuild

    return facts_rebuild()
