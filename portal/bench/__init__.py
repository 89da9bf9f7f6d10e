"""`make bench-load`: the portal under wrk, beside a bare Django view of the same size."""
