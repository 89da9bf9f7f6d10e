"""Error pages in the language of the URL and in the site's layout."""

from django.shortcuts import render


def bad_request(request, exception):
    """Django's own 400 view renders without the request, so without the layout and the language."""
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """A form sent without its security token: usually a page left open too long or cookies blocked."""
    return render(request, "403_csrf.html", status=403)
