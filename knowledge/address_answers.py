"""What an "answer by address" block shows for the address a citizen chose (`?a=<registry id>`:
the typed text is POSTed to `knowledge.views.address_find`, never put in a URL)."""

from __future__ import annotations

from django.utils import timezone

from .addresses import STREAMS, collection_dates, sectors_of
from .models import Address, Sector


def address_answer_context(request, value) -> dict:
    """The chosen address, its sector and what the sector says."""
    if request is None:
        return {}
    chosen = request.GET.get("a") or ""
    address = (
        Address.objects.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 12 else None
    )
    context = {"address": address}
    if address is None:
        return context
    sector = sectors_of(address).get(value["sector_kind"])
    context["sector"] = sector
    if sector is None:
        return context
    if value["answer"] == "collection":
        today = timezone.localdate()
        context["collections"] = [
            (stream, collection_dates(sector, stream=stream, start=today))
            for stream, _field in STREAMS
            if collection_dates(sector, stream=stream, start=today)
        ]
    else:
        context["snow_status"] = Sector.SnowStatus(sector.snow_status).label if sector.snow_status else ""
    return context
