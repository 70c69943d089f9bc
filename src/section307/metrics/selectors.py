"""Reads for the dashboard, the public statistics and the quarterly report.

Port figures come from the detention fact table (one GROUP BY per dimension); pipeline, trade and
outcome figures from their own tables, aggregated in the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, DateField, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from section307.metrics.figures import (
    INDUSTRIES,
    StatRow,
    fiscal_year,
    fiscal_year_bounds,
    median,
    suppress,
    total_of,
)
from section307.metrics.indicators import INDICATORS, Indicator
from section307.metrics.models import DetentionFact, DetentionTally, Outcome, OutcomeKind, OutcomeRecord, Target
from section307.metrics.tables import SUPPRESSED, Column, Table
from section307.ports.models import Regime

# --- Dimensions ---------------------------------------------------------------------------------

DIMENSIONS: dict[str, Any] = {
    "fiscal_year": gettext_lazy("Fiscal year"),
    "quarter": gettext_lazy("Quarter"),
    "month": gettext_lazy("Month"),
    "regime": gettext_lazy("Regime"),
    "country": gettext_lazy("Country of origin"),
    "industry": gettext_lazy("Industry"),
    "hts4": gettext_lazy("HTS heading (4 digits)"),
    "port": gettext_lazy("Port"),
}
PUBLIC_DIMENSIONS = ["fiscal_year", "quarter", "country", "industry", "hts4", "regime"]
DASHBOARD_DIMENSIONS = ["regime", "country", "industry", "hts4", "port", "month"]


def current_fiscal_year() -> int:
    return fiscal_year(timezone.localdate())


def fiscal_years_with_data() -> list[int]:
    years = set(
        DetentionTally.objects.filter(dimension=DetentionTally.Dimension.ALL, n__gt=0)
        .order_by()
        .values_list("fiscal_year", flat=True)
        .distinct()
    )
    years.add(current_fiscal_year())
    return sorted(years, reverse=True)


def _country_names() -> dict[str, str]:
    from section307.geo.models import Country

    return dict(Country.objects.values_list("code", "name"))


def dimension_label(dimension: str, value: Any, *, countries: dict[str, str] | None = None) -> str:
    if value in (None, ""):
        return _("Not recorded")
    if dimension == "regime":
        return str(Regime(value).label) if value in Regime.values else str(value)
    if dimension == "industry":
        return str(INDUSTRIES.get(value, value))
    if dimension == "country":
        return (countries or {}).get(str(value), str(value))
    if dimension == "fiscal_year":
        return f"FY{value}"
    if dimension == "month" and isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    return str(value)


def _dimension_key(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# --- Facts and tallies ---------------------------------------------------------------------

# Where the grouped figures are read: the tallies (the pages) or the fact table (the tests compare them).
TALLIES, FACTS = "tallies", "facts"


def facts(*, fiscal_year: int | None = None, regime: str = "") -> QuerySet[DetentionFact]:
    qs = DetentionFact.objects.all()
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if regime:
        qs = qs.filter(regime=regime)
    return qs


# The columns a dimension groups by, in the fact table and in the tallies (with the tally dimension).
_FACT_GROUPS: dict[str, list[str]] = {
    "fiscal_year": ["fiscal_year"],
    "quarter": ["fiscal_year", "quarter"],
    "month": ["month"],
    "regime": ["regime"],
    "country": ["country"],
    "industry": ["industry"],
    "hts4": ["hts4"],
    "port": ["port"],
}
_TALLY_GROUPS: dict[str, tuple[str, list[str]]] = {
    "fiscal_year": (DetentionTally.Dimension.ALL, ["fiscal_year"]),
    "quarter": (DetentionTally.Dimension.ALL, ["fiscal_year", "quarter"]),
    "month": (DetentionTally.Dimension.ALL, ["month"]),
    "regime": (DetentionTally.Dimension.ALL, ["regime"]),
    "country": (DetentionTally.Dimension.COUNTRY, ["key"]),
    "industry": (DetentionTally.Dimension.INDUSTRY, ["key"]),
    "hts4": (DetentionTally.Dimension.HTS4, ["key"]),
    "port": (DetentionTally.Dimension.PORT, ["key"]),
}


def tallies(dimension: str, *, fiscal_year: int | None = None, regime: str = "") -> QuerySet[DetentionTally]:
    qs = DetentionTally.objects.filter(dimension=dimension, n__gt=0)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if regime:
        qs = qs.filter(regime=regime)
    return qs


def grouped(
    dimension: str, *, fiscal_year: int | None = None, regime: str = "", source: str = TALLIES
) -> dict[Any, dict[str, tuple[int, Decimal]]]:
    """{group: {detention status: (count, value)}} for one dimension, from the tallies or the facts.

    The group is the dimension's value (a (fiscal year, quarter) pair for quarters)."""
    out: dict[Any, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    if source == FACTS:
        fields = _FACT_GROUPS[dimension]
        rows = (
            facts(fiscal_year=fiscal_year, regime=regime)
            .order_by()
            .values(*fields, "status")
            .annotate(count=Count("pk"), total=Sum("value"))
        )
    else:
        tally_dimension, fields = _TALLY_GROUPS[dimension]
        rows = (
            tallies(tally_dimension, fiscal_year=fiscal_year, regime=regime)
            .order_by()
            .values(*fields, "status")
            .annotate(count=Sum("n"), total=Sum("value"))
        )
    for row in rows:
        group = tuple(row[f] for f in fields) if len(fields) > 1 else row[fields[0]]
        out[group][row["status"]] = (int(row["count"]), Decimal(row["total"] or 0))
    return out


def quarter_detentions(*, fiscal_year: int, quarter: int) -> int:
    """Detentions with a notice dated in the quarter."""
    qs = tallies(DetentionTally.Dimension.ALL, fiscal_year=fiscal_year).filter(quarter=quarter)
    return int(qs.aggregate(total=Sum("n"))["total"] or 0)


def decision_days_median(*, fiscal_year: int | None, source: str = TALLIES) -> float | None:
    """Median days from the notice to the final decision, for decisions dated in the fiscal year."""
    if source == FACTS:
        decided = facts(fiscal_year=None).exclude(decided_on=None)
        if fiscal_year:
            decided = decided.filter(decided_on__range=fiscal_year_bounds(fiscal_year))
        return median_in_database(decided, "days_to_decision")
    counts: dict[int, int] = defaultdict(int)
    qs = tallies(DetentionTally.Dimension.DECISION_DAYS, fiscal_year=fiscal_year)
    for key, n in qs.order_by().values_list("key").annotate(count=Sum("n")).values_list("key", "count"):
        counts[int(key)] += int(n)
    return weighted_median(counts)


def weighted_median(counts: dict[int, int]) -> float | None:
    """The median of a list given as {value: how many times}: the middle one, or the mean of the middle two."""
    total = sum(counts.values())
    if not total:
        return None
    wanted = sorted({(total - 1) // 2, total // 2})
    picked: list[int] = []
    seen = 0
    for value in sorted(counts):
        upto = seen + counts[value]
        picked.extend(value for position in wanted if seen <= position < upto)
        seen = upto
    return float(sum(picked)) / len(picked)


# --- Public statistics ------------------------------------------------------------------------


@dataclass
class StatTable:
    dimension: str
    title: str
    rows: list[StatRow]
    total: StatRow


def minimum_cell() -> int:
    return int(getattr(settings, "METRICS_MINIMUM_CELL", 3))


def statistics_tables(*, fiscal_year: int | None = None, regime: str = "", source: str = TALLIES) -> list[StatTable]:
    """The public tables: shipments stopped, released, denied, pending and value per dimension, with
    small cells withheld (``figures.suppress``)."""
    from section307.metrics.facts import outcome_for

    countries = _country_names()
    minimum = minimum_cell()
    out: list[StatTable] = []
    for dimension in PUBLIC_DIMENSIONS:
        by_group = grouped(dimension, fiscal_year=fiscal_year, regime=regime, source=source)
        rows: list[StatRow] = []
        for key in sorted(by_group, key=lambda k: (k is None, k)):
            if dimension == "quarter":
                row_key, label = f"{key[0]}-Q{key[1]}", f"FY{key[0]} Q{key[1]}"
            else:
                row_key, label = _dimension_key(key), dimension_label(dimension, key, countries=countries)
            row = StatRow(key=row_key, label=label)
            for status, (n, v) in by_group[key].items():
                outcome = str(outcome_for(status))
                setattr(row, outcome, getattr(row, outcome) + n)
                row.stopped += n
                row.value += v
            rows.append(row)
        total = total_of(rows, label=_("Total"))
        suppress(rows, total, minimum=minimum)
        out.append(StatTable(dimension, str(DIMENSIONS[dimension]), rows, total))
    return out


STAT_COLUMNS = ["stopped", "released", "denied", "pending", "value"]


def stat_row_dict(row: StatRow) -> dict[str, Any]:
    body: dict[str, Any] = {"key": row.key, "label": row.label}
    for column in STAT_COLUMNS:
        body[column] = SUPPRESSED if column in row.suppressed else getattr(row, column)
    return body


def statistics_as_tables(stats: list[StatTable]) -> list[Table]:
    columns = [
        Column("label", "", "text"),
        Column("stopped", _("Shipments stopped")),
        Column("released", _("Released")),
        Column("denied", _("Denied")),
        Column("pending", _("Pending")),
        Column("value", _("Value (USD)"), "usd"),
    ]
    tables = []
    for st in stats:
        cols = [Column("label", st.title, "text"), *columns[1:]]
        tables.append(
            Table(
                key=st.dimension,
                title=_("Shipments by %(dimension)s") % {"dimension": st.title.lower()},
                columns=cols,
                rows=[stat_row_dict(r) for r in st.rows],
                total=stat_row_dict(st.total),
                chart="stopped",
            )
        )
    return tables


# --- Dashboard: ports ---------------------------------------------------------------------------

STATUS_COLUMNS = ["released", "excluded", "exported", "seized", "abandoned"]


def drill_url(**params: Any) -> str:
    clean = {k: _dimension_key(v) for k, v in params.items() if v not in (None, "")}
    return reverse("metrics:detentions") + ("?" + urlencode(clean) if clean else "")


def port_tables(*, fiscal_year: int | None, source: str = TALLIES) -> list[Table]:
    countries = _country_names()
    columns = [
        Column("detained", _("Detentions")),
        Column("released", _("Released")),
        Column("excluded", _("Excluded")),
        Column("exported", _("Exported")),
        Column("seized", _("Seized")),
        Column("abandoned", _("Abandoned")),
        Column("pending", _("Pending")),
        Column("value", _("Value (USD)"), "usd"),
    ]
    tables = []
    for dimension in DASHBOARD_DIMENSIONS:
        by_group = grouped(dimension, fiscal_year=fiscal_year, source=source)
        rows: list[dict[str, Any]] = []
        links: list[str | None] = []
        for key in sorted(by_group, key=lambda k: (k is None, k)):
            row: dict[str, Any] = {"label": dimension_label(dimension, key, countries=countries)}
            row.update({c: 0 for c in [*STATUS_COLUMNS, "pending", "detained"]})
            row["value"] = Decimal("0")
            for status, (n, v) in by_group[key].items():
                target = status if status in STATUS_COLUMNS else "pending"
                row[target] += n
                row["detained"] += n
                row["value"] += v
            rows.append(row)
            links.append(drill_url(fy=fiscal_year, **{dimension: key}))
        total: dict[str, Any] = {"label": _("Total")}
        for c in columns:
            total[c.key] = sum((r[c.key] for r in rows), Decimal("0") if c.key == "value" else 0)
        tables.append(
            Table(
                key=f"detentions_by_{dimension}",
                title=_("Detentions by %(dimension)s") % {"dimension": str(DIMENSIONS[dimension]).lower()},
                columns=[Column("label", str(DIMENSIONS[dimension]), "text"), *columns],
                rows=rows,
                links=links,
                total=total,
                chart="detained",
            )
        )
    return tables


def clock_table(*, fiscal_year: int | None) -> Table:
    from section307.ports import law
    from section307.ports.models import Clock

    today = timezone.localdate()
    qs = Clock.objects.filter(kind__in=[law.DECISION, law.NOTICE])
    if fiscal_year:
        start, end = fiscal_year_bounds(fiscal_year)
        qs = qs.filter(due_date__range=(start, end))
    # Counted in the database: a stopped clock is on time when it stopped on or before its due date; a
    # running clock past its due date is late. The stop date is the database's own cast (SQLite date(),
    # PostgreSQL ::date in the connection's UTC), which is the local date because TIME_ZONE is UTC;
    # Django's __date lookup would call back into Python for every row on SQLite.
    qs = qs.annotate(stopped_on=Cast("stopped_at", DateField()))
    on_time = Q(running=False, stopped_on__lte=F("due_date"))
    late = Q(running=False, stopped_on__gt=F("due_date")) | Q(running=True, due_date__lt=today)
    counts: dict[str, dict[str, int]] = {law.DECISION: defaultdict(int), law.NOTICE: defaultdict(int)}
    for row in (
        qs.order_by().values("kind").annotate(on_time=Count("pk", filter=on_time), late=Count("pk", filter=late))
    ):
        counts[row["kind"]]["on_time"] = row["on_time"]
        counts[row["kind"]]["late"] = row["late"]
    rows = []
    for kind in (law.DECISION, law.NOTICE):
        c = counts[kind]
        done = c["on_time"] + c["late"]
        rows.append(
            {
                "label": str(Clock.Kind(kind).label),
                "citation": law.rule(kind).citation,
                "on_time": c["on_time"],
                "late": c["late"],
                "pct": (100.0 * c["on_time"] / done) if done else None,
            }
        )
    return Table(
        key="clock_compliance",
        title=_("Legal clocks met"),
        columns=[
            Column("label", _("Clock"), "text"),
            Column("citation", _("Rule"), "text"),
            Column("on_time", _("On time")),
            Column("late", _("Late or overdue")),
            Column("pct", _("Share on time"), "pct"),
        ],
        rows=rows,
        chart="pct",
        note=_("Clocks still running and not yet due are not counted."),
    )


def clock_on_time(table: Table, label_kind: str) -> float | None:
    from section307.ports.models import Clock

    wanted = str(Clock.Kind(label_kind).label)
    return next((r["pct"] for r in table.rows if r["label"] == wanted), None)


# --- Dashboard: pipeline ------------------------------------------------------------------------

OPEN_ALLEGATION = ["new", "in_triage", "info_requested"]


def allegation_table() -> Table:
    from section307.allegations.models import Allegation, AllegationStatus

    now = timezone.now()
    d30, d90 = now - dt.timedelta(days=30), now - dt.timedelta(days=90)
    rows = []
    grouped = {
        r["status"]: r
        for r in Allegation.objects.order_by()
        .values("status")
        .annotate(
            n=Count("pk"),
            young=Count("pk", filter=Q(created_at__gt=d30)),
            mid=Count("pk", filter=Q(created_at__lte=d30, created_at__gt=d90)),
            old=Count("pk", filter=Q(created_at__lte=d90)),
        )
    }
    for status in AllegationStatus:
        r = grouped.get(status.value, {"n": 0, "young": 0, "mid": 0, "old": 0})
        rows.append({"label": str(status.label), "n": r["n"], "young": r["young"], "mid": r["mid"], "old": r["old"]})
    return Table(
        key="allegations_by_status",
        title=_("Allegations by status and age"),
        columns=[
            Column("label", _("Status"), "text"),
            Column("n", _("Allegations")),
            Column("young", _("Under 30 days")),
            Column("mid", _("30 to 89 days")),
            Column("old", _("90 days or more")),
        ],
        rows=rows,
        chart="n",
    )


def case_phase_table() -> Table:
    from section307.cases.models import Case, Phase

    counts = dict(Case.objects.order_by().values_list("phase").annotate(n=Count("pk")).values_list("phase", "n"))
    rows = [{"label": str(p.label), "n": counts.get(p.value, 0)} for p in Phase]
    links: list[str | None] = [reverse("metrics:cases") + "?" + urlencode({"phase": p.value}) for p in Phase]
    return Table(
        key="cases_by_phase",
        title=_("Cases by phase"),
        columns=[Column("label", _("Phase"), "text"), Column("n", _("Cases"))],
        rows=rows,
        links=links,
        chart="n",
    )


def proposal_table() -> Table:
    from section307.cases.models import OrderProposal

    counts = dict(
        OrderProposal.objects.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    rows = [{"label": str(s.label), "n": counts.get(s.value, 0)} for s in OrderProposal.Status]
    return Table(
        key="proposals_by_status",
        title=_("Order proposals by status"),
        columns=[Column("label", _("Status"), "text"), Column("n", _("Proposals"))],
        rows=rows,
        chart="n",
    )


def median_in_database(qs: QuerySet[Any], field: str) -> float | None:
    """The median of a column, read as the one or two middle rows of the sorted column."""
    qs = qs.exclude(**{f"{field}__isnull": True})
    n = qs.count()
    if not n:
        return None
    middle = list(qs.order_by(field).values_list(field, flat=True)[(n - 1) // 2 : n // 2 + 1])
    return float(sum(middle)) / len(middle)


def _days(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> float:
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return (end - start).total_seconds() / 86400
    s = start.date() if isinstance(start, dt.datetime) else start
    e = end.date() if isinstance(end, dt.datetime) else end
    return float((e - s).days)


def _in_year(qs: QuerySet[Any], field: str, fiscal_year: int | None) -> QuerySet[Any]:
    if not fiscal_year:
        return qs
    start, end = fiscal_year_bounds(fiscal_year)
    return qs.filter(**{f"{field}__date__range": (start, end)})


def pipeline_times(*, fiscal_year: int | None) -> dict[str, float | None]:
    from section307.cases.models import CaseAllegation, OrderProposal

    links = _in_year(CaseAllegation.objects.all(), "linked_at", fiscal_year)
    allegation_to_case = [_days(a, b) for a, b in links.values_list("allegation__created_at", "linked_at")]
    approved = _in_year(OrderProposal.objects.filter(status=OrderProposal.Status.APPROVED), "decided_at", fiscal_year)
    case_to_order = [_days(a, b) for a, b in approved.values_list("case__created_at", "decided_at") if b]
    return {"days_allegation_to_case": median(allegation_to_case), "days_case_to_order": median(case_to_order)}


# --- Dashboard: trade ---------------------------------------------------------------------------


def _status_time_table(
    key: str, title: str, label: str, qs: QuerySet[Any], status_enum: Any, start: str, end: str
) -> Table:
    per_status: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for status, s, e in qs.values_list("status", start, end):
        counts[status] += 1
        if s and e:
            per_status[status].append(_days(s, e))
    rows = [
        {"label": str(choice.label), "n": counts.get(choice.value, 0), "days": median(per_status.get(choice.value, []))}
        for choice in status_enum
    ]
    return Table(
        key=key,
        title=title,
        columns=[
            Column("label", label, "text"),
            Column("n", _("Count")),
            Column("days", _("Median days to decision"), "days"),
        ],
        rows=rows,
        chart="n",
    )


def trade_tables(*, fiscal_year: int | None) -> list[Table]:
    from section307.cases.models import OrderChangeRequest
    from section307.ports.models import Protest
    from section307.trade.models import DETENTION_KINDS, TradeRequest

    petitions = _in_year(OrderChangeRequest.objects.all(), "created_at", fiscal_year)
    protests = Protest.objects.all()
    if fiscal_year:
        protests = protests.filter(filed_on__range=fiscal_year_bounds(fiscal_year))
    requests = _in_year(
        TradeRequest.objects.filter(kind__in=DETENTION_KINDS).exclude(status="draft"), "created_at", fiscal_year
    )
    return [
        _status_time_table(
            "petitions_by_outcome",
            _("Order petitions by outcome"),
            _("Outcome"),
            petitions,
            OrderChangeRequest.Status,
            "created_at",
            "decided_at",
        ),
        _status_time_table(
            "protests_by_outcome",
            _("Protests by outcome"),
            _("Outcome"),
            protests,
            Protest.Status,
            "filed_on",
            "decided_on",
        ),
        _status_time_table(
            "requests_by_outcome",
            _("Importer requests and exception requests by outcome"),
            _("Outcome"),
            requests,
            TradeRequest.Status,
            "submitted_at",
            "decided_at",
        ),
    ]


def _median_from(table: Table, decided_labels: set[str]) -> float | None:
    values = [r["days"] for r in table.rows if r["label"] in decided_labels and r["days"] is not None]
    return median(values)


# --- Dashboard: outcomes ------------------------------------------------------------------------


def outcome_records(*, fiscal_year: int | None) -> QuerySet[OutcomeRecord]:
    qs = OutcomeRecord.objects.all()
    if fiscal_year:
        qs = qs.filter(occurred_on__range=fiscal_year_bounds(fiscal_year))
    return qs


def outcome_table(*, fiscal_year: int | None) -> Table:
    """Counts, workers and the range of amounts per kind and currency."""
    qs = outcome_records(fiscal_year=fiscal_year)
    rows = []
    grouped = (
        qs.order_by()
        .values("kind", "currency")
        .annotate(
            n=Count("pk"),
            workers=Sum("workers_covered"),
            total=Sum("amount"),
            low=Min("amount"),
            high=Max("amount"),
            cases=Count("case", distinct=True),
            orders=Count("order", distinct=True),
        )
    )
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for grouped_row in grouped:
        by_kind[grouped_row["kind"]].append(dict(grouped_row))
    for kind in OutcomeKind:
        empty: dict[str, Any] = {}
        for r in by_kind.get(kind.value, []) or [empty]:
            rows.append(
                {
                    "label": str(kind.label),
                    "n": r.get("n", 0),
                    "cases": r.get("cases", 0),
                    "orders": r.get("orders", 0),
                    "workers": r.get("workers") or 0,
                    "currency": r.get("currency", ""),
                    "total": r.get("total"),
                    "low": r.get("low"),
                    "high": r.get("high"),
                }
            )
    return Table(
        key="outcomes_by_kind",
        title=_("Remediation outcomes"),
        columns=[
            Column("label", _("Outcome"), "text"),
            Column("n", _("Records")),
            Column("cases", _("Cases")),
            Column("orders", _("Orders")),
            Column("workers", _("Workers covered")),
            Column("currency", _("Currency"), "text"),
            Column("total", _("Amount repaid"), "text"),
            Column("low", _("Smallest"), "text"),
            Column("high", _("Largest"), "text"),
        ],
        rows=rows,
        chart="n",
    )


# --- Indicators with their targets ----------------------------------------------------------


def current_targets() -> dict[str, Target]:
    out: dict[str, Target] = {}
    for target in Target.objects.order_by("indicator", "-set_at", "-id"):
        out.setdefault(target.indicator, target)
    return out


@dataclass
class IndicatorFigure:
    indicator: Indicator
    actual: float | None
    target: Target | None

    @property
    def met(self) -> bool | None:
        if self.actual is None or self.target is None:
            return None
        goal = float(self.target.value)
        return self.actual <= goal if self.indicator.better == "lower" else self.actual >= goal


@dataclass
class Dashboard:
    fiscal_year: int | None
    indicators: list[IndicatorFigure]
    sections: dict[str, list[Table]]

    def table(self, key: str) -> Table | None:
        for tables in self.sections.values():
            for t in tables:
                if t.key == key:
                    return t
        return None


def dashboard(*, fiscal_year: int | None, source: str = TALLIES) -> Dashboard:
    from section307.allegations.models import AllegationStatus
    from section307.cases.models import OrderChangeRequest, OrderProposal
    from section307.ports import law
    from section307.ports.models import Protest
    from section307.trade.models import TradeRequest

    ports = port_tables(fiscal_year=fiscal_year, source=source)
    clocks = clock_table(fiscal_year=fiscal_year)
    trade = trade_tables(fiscal_year=fiscal_year)
    outcomes = outcome_table(fiscal_year=fiscal_year)
    times = pipeline_times(fiscal_year=fiscal_year)

    # One query for the outcome indicators; the open-allegation and proposal counts from their tables.
    agg = outcome_records(fiscal_year=fiscal_year).aggregate(
        workers=Sum("workers_covered"),
        usd=Sum("amount", filter=Q(kind__in=["fees_repaid", "wages_repaid"], currency="USD")),
        changed=Count("pk", filter=Q(kind__in=["order_modified", "order_revoked"])),
        recurrences=Count("pk", filter=Q(kind="recurrence")),
    )
    allegations = allegation_table()
    proposals = proposal_table()
    old_by_status = dict(zip([s.value for s in AllegationStatus], [r["old"] for r in allegations.rows], strict=True))
    submitted = [s.value for s in OrderProposal.Status].index(OrderProposal.Status.SUBMITTED)
    actual: dict[str, float | None] = {
        "open_allegations_over_90": float(sum(old_by_status[s] for s in OPEN_ALLEGATION)),
        "days_allegation_to_case": times["days_allegation_to_case"],
        "days_case_to_order": times["days_case_to_order"],
        "proposals_awaiting": float(proposals.rows[submitted]["n"]),
        "decisions_on_time": clock_on_time(clocks, law.DECISION),
        "notices_on_time": clock_on_time(clocks, law.NOTICE),
        "days_detention_to_decision": decision_days_median(fiscal_year=fiscal_year, source=source),
        "days_petition_decision": _median_from(
            trade[0],
            {str(OrderChangeRequest.Status(s).label) for s in [*OrderChangeRequest.GRANTED_STATUSES, "denied"]},
        ),
        "days_protest_decision": _median_from(
            trade[1], {str(Protest.Status.ALLOWED.label), str(Protest.Status.DENIED.label)}
        ),
        "days_request_decision": _median_from(
            trade[2], {str(TradeRequest.Status.GRANTED.label), str(TradeRequest.Status.DENIED.label)}
        ),
        "workers_covered": float(agg["workers"] or 0),
        "usd_repaid": float(agg["usd"] or 0),
        "orders_changed_for_remediation": float(agg["changed"]),
        "recurrences": float(agg["recurrences"]),
    }
    targets = current_targets()
    figures = [IndicatorFigure(i, actual[i.key], targets.get(i.key)) for i in INDICATORS]
    return Dashboard(
        fiscal_year=fiscal_year,
        indicators=figures,
        sections={
            "pipeline": [allegations, case_phase_table(), proposals],
            "ports": [*ports, clocks],
            "trade": trade,
            "outcomes": [outcomes],
        },
    )


def indicator_table(board: Dashboard) -> Table:
    from section307.metrics.indicators import SECTIONS

    rows = [
        {
            "label": str(f.indicator.label),
            "section": str(SECTIONS[f.indicator.section]),
            "actual": f.actual,
            "target": float(f.target.value) if f.target else None,
            "met": "" if f.met is None else (_("Met") if f.met else _("Not met")),
        }
        for f in board.indicators
    ]
    return Table(
        key="indicators",
        title=_("Indicators and targets"),
        columns=[
            Column("label", _("Indicator"), "text"),
            Column("section", _("Area"), "text"),
            Column("actual", _("Actual"), "days"),
            Column("target", _("Target"), "days"),
            Column("met", _("Target met"), "text"),
        ],
        rows=rows,
    )


def dashboard_tables(board: Dashboard) -> dict[str, Table]:
    tables = {"indicators": indicator_table(board)}
    for section in board.sections.values():
        for t in section:
            tables[t.key] = t
    return tables


# --- Drill-down -------------------------------------------------------------------------------

DRILL_FILTERS = ["fy", "regime", "country", "industry", "hts4", "port", "month", "outcome", "status"]


def drill_detentions(params: dict[str, str]) -> QuerySet[DetentionFact]:
    qs = DetentionFact.objects.select_related("detention__entry").order_by("-notice_date", "-detention_id")
    if params.get("fy", "").isdigit():
        qs = qs.filter(fiscal_year=int(params["fy"]))
    for name in ("regime", "country", "industry", "hts4", "port", "outcome", "status"):
        if name in params:
            qs = qs.filter(**{name: params[name][:60]})
    if params.get("month"):
        try:
            qs = qs.filter(month=dt.date.fromisoformat(params["month"]))
        except ValueError:
            return qs.none()
    return qs


def drill_cases(phase: str) -> QuerySet[Any]:
    from section307.cases.models import Case

    qs = Case.objects.order_by("-created_at").only("reference", "title", "phase", "created_at", "closed_at")
    return qs.filter(phase=phase) if phase else qs


def outcome_values() -> list[str]:
    return list(Outcome.values)


def statistics_version() -> object:
    """Changes whenever a tally does (every change and every rebuild stamps the rows it writes); the
    public page cache keys on it."""
    return (DetentionTally.objects.aggregate(last=Max("changed_at"))["last"], minimum_cell())
