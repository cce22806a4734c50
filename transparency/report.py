"""The report as open data: figures -> suppression -> one JSON-ready dict, and the CSV rows of that dict.

The dict is what the page, the JSON, the CSV and the stored snapshots all show, so a snapshot renders exactly
like the live report did on the day it was published.
"""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from transparency import approval, events, figures, generation, grants
from transparency.definitions import (
    BY_NAME,
    FIGURES,
    MONTHLY,
    SCHEMA,
    SECTIONS,
    WHOLE,
    figures_in,
)
from transparency.privacy import FEWER_THAN, THRESHOLD, WITHHELD, suppress

ALL = figures.ALL
STATUS_LABELS = {FEWER_THAN: "fewer than 5", WITHHELD: "withheld"}
CSV_HEADER = ["period", "section", "figure", "dimension", "value", "status", "unit", "label"]


def compute(program: Program, *, now: dt.datetime | None = None) -> figures.Figures:
    """Every cell of the report, suppressed where it must be."""
    now = now or timezone.now()
    result = figures.Figures(program=program, now=now)
    took_part = figures.people(result)
    figures.work(result)
    figures.money_figures(result, took_part)
    approval.approval_figures(result)
    generation.generation_figures(result)
    grants.grant_figures(result)
    events.event_figures(result)
    figures.active_by_month(result, result.month_list)
    result.finish(result.month_list)
    suppress(result.cells, result.relations)
    return result


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def build(program: Program, *, now: dt.datetime | None = None) -> dict:
    """The report of `program` as a JSON-ready dict (see schema.json)."""
    now = now or timezone.now()
    result = compute(program, now=now)
    suppressed = []

    def section_values(period: str, section: str, scope: str) -> dict:
        values, by_currency = {}, {}
        for figure in figures_in(section, scope):
            if figure.name == "rejections_by_reason":
                values[figure.name] = _reasons(result, suppressed)
                continue
            dims = _dims(result, period, figure.name) if figure.per_currency else [""]
            for dim in dims:
                cell = result.cells.get((period, figure.name, dim))
                value = None if cell is None or cell.suppressed else _json_value(cell.value)
                if cell is not None and cell.suppressed:
                    suppressed.append(
                        {"period": period, "figure": figure.name, "dimension": dim, "reason": cell.status}
                    )
                if figure.per_currency:
                    by_currency.setdefault(dim, {})[figure.name] = value
                else:
                    values[figure.name] = value
        if section == "money":
            values["by_currency"] = by_currency
        return values

    whole = {section: section_values(ALL, section, WHOLE) for section in SECTIONS}
    months = [
        {"month": month, **{section: section_values(month, section, MONTHLY) for section in SECTIONS}}
        for month in result.month_list
    ]
    return {
        "schema": SCHEMA,
        "program": {"slug": program.slug, "name": program.name, "url": reverse("programs:detail", args=[program.slug])},
        "generated_at": now.isoformat(timespec="seconds"),
        "first_month": result.month_list[0],
        "last_month": result.month_list[-1],
        "suppression": {
            "threshold": THRESHOLD,
            "rule": "A figure computed from 1 to 4 artists is shown as 'fewer than 5'; a second figure of the same "
            "sum is withheld so that it cannot be worked out by subtraction.",
        },
        "definitions_url": reverse("transparency:report", args=[program.slug]) + "#definitions",
        "whole_program": whole,
        "months": months,
        "suppressed": suppressed,
    }


def _dims(result: figures.Figures, period: str, name: str) -> list[str]:
    return sorted({d for (p, f, d) in result.cells if p == period and f == name})


def _reasons(result: figures.Figures, suppressed: list) -> dict:
    reasons = {}
    for code in _dims(result, ALL, "rejections_by_reason"):
        cell = result.cells[(ALL, "rejections_by_reason", code)]
        if cell.suppressed:
            suppressed.append(
                {"period": ALL, "figure": "rejections_by_reason", "dimension": code, "reason": cell.status}
            )
        reasons[code] = {
            "title": result.labels.get(code, ""),
            "rejections": None if cell.suppressed else cell.value,
        }
    return reasons


# --- Reading a report dict (live or snapshot) -----------------------------------------------------------
def status_of(report: dict) -> dict[tuple[str, str, str], str]:
    return {(s["period"], s["figure"], s["dimension"]): s["reason"] for s in report.get("suppressed", [])}


def csv_rows(report: dict) -> list[list[str]]:
    """Long format: one row per figure, period and dimension (currency or reason code)."""
    statuses = status_of(report)
    rows = [CSV_HEADER]

    def add(period, section, name, dim, value):
        figure = BY_NAME[name]
        status = statuses.get((period, name, dim)) or ("published" if value is not None else "no_data")
        rows.append(
            [period, section, name, dim, "" if value is None else str(value), status, figure.unit, figure.label]
        )

    # Definition order, never the stored dict's order: PostgreSQL's jsonb reorders keys, and a release read back from
    # the database must give the same file as the one just computed.
    periods = [(ALL, WHOLE, report["whole_program"])] + [(m["month"], MONTHLY, m) for m in report["months"]]
    for period, scope, data in periods:
        for section in SECTIONS:
            values = data.get(section, {})
            for figure in figures_in(section, scope):
                name = figure.name
                if figure.per_currency:
                    for currency, money in sorted(values.get("by_currency", {}).items()):
                        if name in money:
                            add(period, section, name, currency, money[name])
                elif name == "rejections_by_reason":
                    for code, reason in sorted(values.get(name, {}).items()):
                        add(period, section, name, code, reason["rejections"])
                elif name in values:
                    add(period, section, name, "", values[name])
    return rows


__all__ = ["CSV_HEADER", "FIGURES", "build", "compute", "csv_rows", "status_of"]
