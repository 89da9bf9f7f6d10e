"""Reactions of the requests app to what happens elsewhere: connected in `FormsConfig.ready()`.

`knowledge` knows nothing of requests; when one of its pages is published, the citizens whose
requests it answers are told here (`forms.answers.answer_published_notify`).
"""

from django.dispatch import receiver

from wagtail.signals import page_published

from .models import CitizenRequest


@receiver(page_published, dispatch_uid="requests_answer_published_notify")
def answer_published(sender, instance, **kwargs):
    if CitizenRequest.objects.filter(
        answered_by_page_id=instance.pk, answer_notified_at__isnull=True
    ).exists():
        from .answers import answer_published_notify

        answer_published_notify(instance)
