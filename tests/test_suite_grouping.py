"""The suite's shared warehouses rely on xdist groups: tests of one group run on one worker, so a session
fixture (the demo run, a module's built warehouse) is built once. pytest 9 with pytest-xdist 3.8 dropped the
group silently (the demo then ran once per worker: 160 s twice); this fails when a group does not reach the
scheduler."""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("grouping_probe")
def test_an_xdist_group_reaches_the_scheduler(request: pytest.FixtureRequest) -> None:
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not under `pytest -n N --dist loadgroup` (make test runs it that way)")
    assert request.node.nodeid.endswith("@grouping_probe"), request.node.nodeid
