"""CSV export of one figure: the same rows as its chart and its table."""

import csv
import io

from django.http import HttpResponse

from .figures import Figure

# A cell starting with one of these is read as a formula by spreadsheets (CSV injection):
# queries are typed by citizens, so such a cell is prefixed with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def figure_csv(figure: Figure) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(figure.header())
    for line in figure.table():
        writer.writerow([_safe(value) for value in line])
    return buffer.getvalue()


def figure_csv_response(figure: Figure, *, filename: str) -> HttpResponse:
    response = HttpResponse(figure_csv(figure), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
