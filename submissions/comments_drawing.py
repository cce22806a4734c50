"""Drawings on a frame and the times of frame comments: what is accepted, and how it is shown.

A drawing is a list of shapes in coordinates relative to the frame (0..1 on both axes, origin top left), so it
fits the frame at any size:

    {"shape": "stroke", "points": [[x, y], ...]}        freehand
    {"shape": "arrow", "from": [x, y], "to": [x, y]}
    {"shape": "box", "x": x, "y": y, "w": width, "h": height}

Nothing else is stored: unknown shapes or keys, numbers outside the frame and oversized drawings are refused
with a message for the reviewer. Pure functions, no database.
"""

import json
import math
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_DRAWING_BYTES = 256 * 1024  # 2000 points take about 40 KiB; the rest is room for formatting
MAX_SHAPES = 50
MAX_POINTS = 2000  # over all strokes of a drawing
SVG_SIZE = 1000  # the viewBox the shapes are drawn in: coordinates are scaled from 0..1
ARROW_MARKER_ID = "drawing-arrowhead"


class DrawingError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def format_timecode(at_seconds: Decimal | None, until_seconds: Decimal | None) -> str:
    """A moment (`m:ss.mmm`) or a range (`m:ss.mmm`, an en dash, `m:ss.mmm`); empty for no time."""
    if at_seconds is None:
        return ""
    if until_seconds is None or until_seconds == at_seconds:
        return format_frame_time(at_seconds)
    return f"{format_frame_time(at_seconds)}\N{EN DASH}{format_frame_time(until_seconds)}"


def format_frame_time(seconds: Decimal | float | None) -> str:
    """`m:ss.mmm` (to the millisecond, so neighbouring frames differ); empty for no time."""
    if seconds is None:
        return ""
    millis = round(Decimal(seconds) * 1000)
    minutes, millis = divmod(millis, 60_000)
    return f"{minutes}:{millis // 1000:02d}.{millis % 1000:03d}"


def parse_drawing(raw: str | list | None) -> list[dict]:
    """The drawing as it will be stored, from the browser's JSON text (or an already parsed list)."""
    if raw in (None, "", []):
        return []
    if isinstance(raw, str):
        if len(raw.encode()) > MAX_DRAWING_BYTES:
            limit = {"kib": MAX_DRAWING_BYTES // 1024}
            raise DrawingError(_("The drawing is too large: keep it under %(kib)s KiB.") % limit)
        try:
            raw = json.loads(raw)
        except ValueError:
            raise DrawingError(_("The drawing could not be read. Draw it again.")) from None
    if not isinstance(raw, list):
        raise DrawingError(_("The drawing could not be read. Draw it again."))
    if len(raw) > MAX_SHAPES:
        raise DrawingError(_("A drawing has at most %(count)s shapes.") % {"count": MAX_SHAPES})
    shapes = [_shape(item) for item in raw]
    points = sum(len(shape.get("points", ())) for shape in shapes)
    if points > MAX_POINTS:
        raise DrawingError(
            _("The drawing has %(points)s points; at most %(max)s are kept. Draw fewer or shorter strokes.")
            % {"points": points, "max": MAX_POINTS}
        )
    return shapes


def _shape(item) -> dict:
    if not isinstance(item, dict):
        raise DrawingError(_("The drawing could not be read. Draw it again."))
    kind = item.get("shape")
    keys = {"stroke": {"shape", "points"}, "arrow": {"shape", "from", "to"}, "box": {"shape", "x", "y", "w", "h"}}
    if kind not in keys or set(item) != keys[kind]:
        raise DrawingError(_("A drawing holds only freehand strokes, arrows and boxes."))
    if kind == "stroke":
        points = item["points"]
        if not isinstance(points, list) or not 2 <= len(points) <= MAX_POINTS:
            raise DrawingError(_("A stroke has between 2 and %(max)s points.") % {"max": MAX_POINTS})
        return {"shape": "stroke", "points": [_point(p) for p in points]}
    if kind == "arrow":
        return {"shape": "arrow", "from": _point(item["from"]), "to": _point(item["to"])}
    x, y, w, h = (_number(item[key]) for key in ("x", "y", "w", "h"))
    if w <= 0 or h <= 0 or x + w > 1.0001 or y + h > 1.0001:
        raise DrawingError(_("A box must lie inside the frame."))
    return {"shape": "box", "x": x, "y": y, "w": w, "h": h}


def _point(value) -> list[float]:
    if not isinstance(value, list) or len(value) != 2:
        raise DrawingError(_("A point of the drawing is two numbers."))
    return [_number(value[0]), _number(value[1])]


def _number(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DrawingError(_("The drawing holds something that is not a number."))
    if not 0 <= value <= 1:
        raise DrawingError(_("The drawing reaches outside the frame."))
    return round(float(value), 4)


def svg_markup(drawing: list[dict]) -> str:
    """The shapes as SVG elements in the viewBox's units (rounded to a tenth, the precision of a stored point),
    made once when a comment is written and stored beside the drawing: a page of hundreds of threads shows them
    without decoding and formatting every point again. Numbers only, from a drawing parse_drawing accepted; an
    arrow's head is the marker that the list of threads defines once (`ARROW_MARKER_ID`)."""

    def at(value: float) -> str:
        return f"{value * SVG_SIZE:.1f}"

    out = []
    for shape in drawing or []:
        if shape["shape"] == "stroke":
            points = " ".join(f"{at(x)},{at(y)}" for x, y in shape["points"])
            out.append(f'<polyline points="{points}" class="drawing-line"></polyline>')
        elif shape["shape"] == "arrow":
            (x1, y1), (x2, y2) = shape["from"], shape["to"]
            out.append(
                f'<line x1="{at(x1)}" y1="{at(y1)}" x2="{at(x2)}" y2="{at(y2)}" class="drawing-line" '
                f'marker-end="url(#{ARROW_MARKER_ID})"></line>'
            )
        else:
            out.append(
                f'<rect x="{at(shape["x"])}" y="{at(shape["y"])}" width="{at(shape["w"])}" height="{at(shape["h"])}" '
                'class="drawing-line"></rect>'
            )
    return "".join(out)
