"""Anonymous "Was this helpful?" votes: one per visitor per page, and after "No" what was missing;
no personal data."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from wagtail.models import Page

from portal.scrub import scrub

from .models import HelpfulVote, MissingReason

VISITOR_COOKIE = "portal_visitor"
MAX_COMMENT = 500


def new_visitor_id() -> str:
    return secrets.token_urlsafe(18)


def voter_digest(*, visitor_id: str, page: Page) -> str:
    """Keyed hash: the stored value cannot be traced back to the cookie."""
    message = f"{visitor_id}:{page.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def helpful_vote_record(*, page: Page, visitor_id: str, is_helpful: bool) -> bool:
    """Record a vote; returns False when this visitor already voted on this page."""
    vote = HelpfulVote(
        page=page, is_helpful=is_helpful, voter_digest=voter_digest(visitor_id=visitor_id, page=page)
    )
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError:
        return False
    return True


def helpful_counts(page: Page) -> dict[str, int]:
    return HelpfulVote.objects.filter(page=page).aggregate(
        yes=Count("pk", filter=Q(is_helpful=True)), no=Count("pk", filter=Q(is_helpful=False))
    )


def helpful_reason_record(*, page: Page, visitor_id: str, reason: str, comment: str = "") -> bool:
    """After "No": what was missing, on the visitor's own vote, once; the comment without
    e-mail addresses, phone numbers or postal codes. False when there is no such vote to complete."""
    if reason not in MissingReason.values:
        raise ValueError(f"Unknown reason {reason!r}")
    updated = HelpfulVote.objects.filter(
        page=page, voter_digest=voter_digest(visitor_id=visitor_id, page=page), is_helpful=False, reason=""
    ).update(reason=reason, comment=scrub(comment.strip())[:MAX_COMMENT])
    return bool(updated)


def missing_reasons(page: Page) -> dict[str, int]:
    """How many visitors gave each reason for this page."""
    counts = (
        HelpfulVote.objects.filter(page=page)
        .exclude(reason="")
        .values_list("reason")
        .annotate(count=Count("pk"))
    )
    return dict(counts)
