"""Anonymous "Was this helpful?" votes: one per visitor per page, no personal data."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from wagtail.models import Page

from .models import HelpfulVote

VISITOR_COOKIE = "portal_visitor"


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
