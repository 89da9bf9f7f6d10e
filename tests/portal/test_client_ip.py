"""The client's address behind the city's proxies: only the configured hops are believed."""

import pytest

from django.core.cache import cache
from django.test import Client

from portal.client_ip import client_ip


@pytest.fixture(autouse=True)
def empty_limits():
    cache.clear()
    yield
    cache.clear()


def test_without_trusted_proxies_a_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "192.0.2.1"


def test_with_one_proxy_the_address_it_saw_is_used(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "203.0.113.5"


def test_a_spoofed_hop_before_the_trusted_ones_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4" itself; the proxy appended the address it really saw.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 2  # CDN, then the load balancer
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 172.16.0.9")
    assert client_ip(request) == "203.0.113.5"


def test_missing_or_junk_hops_fall_back_to_the_connection(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    junk = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>, not-an-ip")
    assert client_ip(junk) == "10.0.0.2"


@pytest.mark.django_db
def test_limits_count_each_citizen_behind_the_proxy_not_the_proxy(settings, portal):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "lookup": (2, 600)}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    def lookup(citizen, spoofed=""):
        forwarded = f"{spoofed}, {citizen}" if spoofed else citizen
        return Client().get("/fr/suivi/", {"reference": "RAE-0000"}, HTTP_X_FORWARDED_FOR=forwarded, **proxy)

    assert [lookup("203.0.113.5").status_code for _ in range(3)][-1] == 429
    assert lookup("203.0.113.6").status_code != 429  # another citizen, same proxy
    # Forging a new address in front does not give the first citizen a fresh bucket.
    assert lookup("203.0.113.5", spoofed="198.51.100.99").status_code == 429
