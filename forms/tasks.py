"""Background work: e-mails are sent by django-tasks, never inside the citizen's request."""

from django_tasks import task


@task()
def send_outgoing_email(outgoing_id: int) -> bool:
    from .services import email_deliver

    return email_deliver(outgoing_id)
