"""The scorecard's cache is keyed by a generation counter in the database, so the "Recompute
indicator values" button (or any change) shows at once in every worker, not only the one that
served the button."""

from __future__ import annotations

import copy
import dataclasses

from django.urls import reverse

from safecity.web.dashboards import services

from .test_scorecard import _load_crimes, _months


def test_the_recompute_button_shows_new_values_at_once_in_every_worker(
        client, world, tmp_path, monkeypatch):
    _load_crimes(tmp_path / "home", _months(2018, 24, lambda k: 3))
    client.force_login(world.users["analyst"])
    url = reverse("dashboards:scorecard", args=[world.strategy.pk])
    assert ">36<" in client.get(url).content.decode()  # 12 months x 3

    # The engine now answers differently (a corrected definition, say): the cached values and
    # the cached page still show the old figure until someone presses the button.
    real = services.compute_all
    monkeypatch.setattr(services, "compute_all", lambda *a, **k: {
        m: dataclasses.replace(v, value=4242.0, previous=4241.0)
        for m, v in real(*a, **k).items()})
    assert ">36<" in client.get(url).content.decode()

    # Another worker serves the button: this process keeps its own copy of the values and
    # its own cached page (the button cannot reach either), as a second gunicorn worker does.
    this_worker = copy.deepcopy(services._memo)
    response = client.post(reverse("dashboards:refresh", args=[world.strategy.pk]))
    assert response.status_code == 302
    services._memo.clear()
    services._memo.update(this_worker)

    page = client.get(url).content.decode()
    assert "4,242" in page or ">4242<" in page
    assert ">36<" not in page
