"""What the report page shows, read from a report dict (live or snapshot): formatted tables and SVG charts.

Charts are drawn by the template from the geometry computed here, in a viewBox narrow enough that their text
stays readable on a 375 px phone; every chart has the same numbers in a table beside it.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, gettext_lazy

from core.money import format_money
from transparency.definitions import (
    BY_NAME,
    COUNT,
    DURATION,
    HOURS,
    MINUTES,
    MONEY,
    MONTHLY,
    SECONDS,
    SECTIONS,
    SHARE,
    WHOLE,
    figures_in,
)
from transparency.privacy import FEWER_THAN, WITHHELD

SUPPRESSED_TEXT = {FEWER_THAN: gettext_lazy("fewer than 5"), WITHHELD: gettext_lazy("withheld")}
CHART_SERIES = {
    "people": ["artists_invited", "artists_active"],
    "work": ["hours_logged", "hours_approved"],
    "money": ["earned", "paid"],
    "approval": ["videos_submitted", "videos_decided"],
    "generation": ["generation_jobs", "generation_jobs_finished"],
    "opportunities": ["grant_applications", "session_attendances"],
}


@dataclass
class Shown:
    """One value as the page shows it."""

    text: str
    status: str = ""  # "", FEWER_THAN, WITHHELD or "no_data"
    number: Decimal | None = None

    @property
    def suppressed(self) -> bool:
        return self.status in SUPPRESSED_TEXT


def show(value, unit: str, status: str = "", currency: str = "") -> Shown:
    if status:
        return Shown(str(SUPPRESSED_TEXT[status]), status)
    if value is None:
        return Shown(gettext("no data"), "no_data")
    number = Decimal(str(value))
    if unit == SHARE:
        return Shown(f"{number_format(number * 100, 1, force_grouping=True)} %", number=number)
    if unit in (HOURS, DURATION):
        return Shown(f"{number_format(number, 1, force_grouping=True)} h", number=number)
    if unit == MINUTES:
        return Shown(f"{number_format(number, 1, force_grouping=True)} min", number=number)
    if unit == SECONDS:
        return Shown(f"{number_format(number, 0, force_grouping=True)} s", number=number)
    if unit == MONEY:
        text = format_money(number, currency) if currency else number_format(number, 2, force_grouping=True)
        return Shown(text, number=number)
    return Shown(number_format(number, 0, force_grouping=True), number=number)


@dataclass
class Row:
    name: str
    label: str
    values: list[Shown]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str


@dataclass
class Chart:
    title: str
    description: str
    series: list[str]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (y, label)
    months: list[tuple[float, str]] = field(default_factory=list)  # (x, label)
    gaps: list[tuple[float, float]] = field(default_factory=list)  # suppressed values: (x, y) of a marker
    width: int = 360
    height: int = 220
    left: int = 44
    bottom: int = 30
    top: int = 10


def _status(report: dict, period: str, name: str, dim: str = "") -> str:
    for entry in report.get("suppressed", []):
        if (entry["period"], entry["figure"], entry["dimension"]) == (period, name, dim):
            return entry["reason"]
    return ""


def currencies(report: dict) -> list[str]:
    return sorted(report["whole_program"].get("money", {}).get("by_currency", {}))


def whole_rows(report: dict, section: str, currency: str = "") -> list[Row]:
    """The whole-program table of a section: one row per figure (money per currency: those of `currency`)."""
    data = report["whole_program"].get(section, {})
    if currency:
        data = data.get("by_currency", {}).get(currency, {})
    rows = []
    for figure in figures_in(section, WHOLE):
        if figure.name == "rejections_by_reason" or figure.per_currency != bool(currency):
            continue
        status = _status(report, "all", figure.name, currency)
        rows.append(Row(figure.name, figure.label, [show(data.get(figure.name), figure.unit, status, currency)]))
    return rows


def reason_rows(report: dict) -> list[Row]:
    reasons = report["whole_program"].get("approval", {}).get("rejections_by_reason", {})
    return [
        Row(
            code,
            f"{code} {reason['title']}".strip(),
            [show(reason["rejections"], COUNT, _status(report, "all", "rejections_by_reason", code))],
        )
        for code, reason in sorted(reasons.items())
    ]


def monthly_columns(section: str) -> list[str]:
    return [f.name for f in figures_in(section, MONTHLY)]


def monthly_rows(report: dict, section: str, currency: str = "") -> list[Row]:
    """Per month (rows) the section's monthly figures (columns); money for one currency."""
    names = [n for n in monthly_columns(section) if BY_NAME[n].per_currency == bool(currency)]
    rows = []
    for month in report["months"]:
        data = month.get(section, {})
        if currency:
            data = data.get("by_currency", {}).get(currency, {})
        values = [
            show(data.get(n), BY_NAME[n].unit, _status(report, month["month"], n, currency), currency) for n in names
        ]
        rows.append(Row(month["month"], month_label(month["month"]), values))
    return rows


def month_label(month: str, short: bool = False) -> str:
    day = dt.date(int(month[:4]), int(month[5:7]), 1)
    return date_format(day, "M y" if short else "YEAR_MONTH_FORMAT")


def _nice_max(value: Decimal) -> Decimal:
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = magnitude * Decimal(str(step))
        if top >= value:
            return top
    return magnitude * 10


def bar_chart(report: dict, section: str, *, currency: str = "") -> Chart | None:
    names = [n for n in CHART_SERIES[section] if (BY_NAME[n].per_currency == bool(currency))]
    labels = [str(BY_NAME[n].label) for n in names]
    rows = monthly_rows(report, section, currency)
    if not rows:
        return None
    columns = {
        n: i for i, n in enumerate(n for n in monthly_columns(section) if BY_NAME[n].per_currency == bool(currency))
    }
    figures = gettext(" and ").join(labels)
    title = gettext("%(figures)s per month") % {"figures": figures}
    chart = Chart(
        title=gettext("%(title)s (%(currency)s)") % {"title": title, "currency": currency} if currency else title,
        description=gettext("Bar chart of %(figures)s for each month; the table beside it has the same figures.")
        % {"figures": ", ".join(label.lower() for label in labels)},
        series=labels,
    )
    plot_w = chart.width - chart.left - 6
    plot_h = chart.height - chart.top - chart.bottom
    numbers = [r.values[columns[n]].number or Decimal(0) for r in rows for n in names]
    top = _nice_max(max(numbers, default=Decimal(0)))
    slot = plot_w / len(rows)
    bar_w = max(min(slot * 0.8 / len(names), 18.0), 1.5)
    for i, row in enumerate(rows):
        x0 = chart.left + i * slot + (slot - bar_w * len(names)) / 2
        for s, name in enumerate(names):
            shown = row.values[columns[name]]
            x = x0 + s * bar_w
            if shown.suppressed:
                chart.gaps.append((round(x + bar_w / 2, 1), chart.top + plot_h - 4))
                continue
            height = float((shown.number or 0) / top) * plot_h if shown.number else 0.0
            chart.bars.append(
                Bar(
                    round(x, 1),
                    round(chart.top + plot_h - height, 1),
                    round(bar_w, 1),
                    round(height, 1),
                    s,
                    f"{row.label}, {labels[s]}: {shown.text}",
                )
            )
    for fraction in (0, 0.5, 1):
        value = top * Decimal(str(fraction))
        chart.ticks.append((round(chart.top + plot_h * (1 - fraction), 1), _compact(value)))
    every = max(1, round(len(rows) / 6))
    for i, row in enumerate(rows):
        if i % every == 0:
            chart.months.append((round(chart.left + i * slot + slot / 2, 1), month_label(row.name, short=True)))
    return chart


def _compact(value: Decimal) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:g}"


@dataclass
class BoxPlot:
    currency: str
    q1: Shown
    median: Shown
    q3: Shown
    x_q1: float = 0
    x_median: float = 0
    x_q3: float = 0
    box_width: float = 0
    ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = 360
    height: int = 90


def rate_box(report: dict, currency: str) -> BoxPlot | None:
    money = report["whole_program"].get("money", {}).get("by_currency", {}).get(currency, {})
    shown = {
        n: show(money.get(n), MONEY, _status(report, "all", n, currency), currency)
        for n in ("hourly_rate_q1", "hourly_rate_median", "hourly_rate_q3")
    }
    box = BoxPlot(currency, shown["hourly_rate_q1"], shown["hourly_rate_median"], shown["hourly_rate_q3"])
    if any(s.number is None for s in shown.values()):
        return box
    top = _nice_max(box.q3.number * Decimal("1.1"))
    left, span = 20, box.width - 40

    def x(value: Decimal) -> float:
        return round(left + float(value / top) * span, 1)

    box.x_q1, box.x_median, box.x_q3 = x(box.q1.number), x(box.median.number), x(box.q3.number)
    box.box_width = round(max(box.x_q3 - box.x_q1, 1.0), 1)
    box.ticks = [(x(top * Decimal(str(f))), _compact(top * Decimal(str(f)))) for f in (0, 0.5, 1)]
    return box


def reason_bars(report: dict) -> list[tuple[Row, float]]:
    """Rejections by reason code with each bar's share of the widest (0..100, for a width in percent)."""
    rows = reason_rows(report)
    numbers = [r.values[0].number or 0 for r in rows]
    top = max(numbers, default=0) or 1
    return [(r, round(float((r.values[0].number or 0) / top) * 100, 1)) for r in rows]


@dataclass
class SectionView:
    key: str
    title: str
    whole: list[Row]
    by_currency: list[tuple[str, list[Row]]]
    columns: list[str]
    monthly: list[Row]
    charts: list[tuple[Chart, list[str], list[Row]]]  # chart, its table's column labels, its table rows


def sections(report: dict) -> list[SectionView]:
    views = []
    for key, title in SECTIONS.items():
        plain_columns = [str(BY_NAME[n].label) for n in monthly_columns(key) if not BY_NAME[n].per_currency]
        charts = []
        if key == "money":
            money_columns = [str(BY_NAME[n].label) for n in monthly_columns(key) if BY_NAME[n].per_currency]
            for currency in currencies(report):
                if chart := bar_chart(report, key, currency=currency):
                    charts.append((chart, money_columns, monthly_rows(report, key, currency)))
        elif chart := bar_chart(report, key):
            charts.append((chart, plain_columns, monthly_rows(report, key)))
        by_currency = [(c, whole_rows(report, key, c)) for c in currencies(report)] if key == "money" else []
        views.append(
            SectionView(
                key, title, whole_rows(report, key), by_currency, plain_columns, monthly_rows(report, key), charts
            )
        )
    return views


HEADLINE = [
    ("people", "artists_active", ""),
    ("work", "hours_logged", ""),
    ("money", "paid", "currency"),
    ("approval", "videos_approved", ""),
    ("approval", "decision_hours_median", ""),
    ("approval", "decisions_inside_deadline_share", ""),
]


def headline(report: dict) -> list[tuple[str, Shown, str]]:
    """A few whole-program figures for the home page: (label, value, figure name)."""
    items = []
    whole = report["whole_program"]
    for section, name, per in HEADLINE:
        figure = BY_NAME[name]
        if per:
            for currency in currencies(report):
                value = whole[section]["by_currency"][currency].get(name)
                items.append(
                    (
                        f"{figure.label} ({currency})",
                        show(value, figure.unit, _status(report, "all", name, currency), currency),
                        name,
                    )
                )
        elif name in whole.get(section, {}):
            items.append((figure.label, show(whole[section][name], figure.unit, _status(report, "all", name)), name))
    return items


def definitions() -> list[tuple[str, list]]:
    return [(title, [f for f in BY_NAME.values() if f.section == key]) for key, title in SECTIONS.items()]
