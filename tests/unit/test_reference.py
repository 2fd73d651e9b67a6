"""Real reference data: the 285 municipalities, provinces, mergers, seats and coordinates."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from data_pipelines import geo, reference


def test_flanders_has_285_municipalities_in_five_provinces() -> None:
    munis = reference.municipalities()
    assert len(munis) == 285
    assert munis.groupby("province_code").size().to_dict() == {
        "10000": 67, "20001": 63, "30000": 62, "40000": 55, "70000": 38}
    assert munis.set_index("nis_code").at["46030", "name"] == "Beveren-Kruibeke-Zwijndrecht"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("11007", "11002"),  # Borsbeek -> Antwerpen (2025)
        ("11056", "46030"),  # Zwijndrecht crossed into Oost-Vlaanderen (2025)
        ("44040", "44088"),  # Melle -> Merelbeke-Melle
        ("73040", "71072"),  # Kortessem -> Hasselt, across arrondissements
        ("44036", "44085"),  # Lovendegem -> Lievegem (2019)
        ("12030", "12041"),  # Puurs -> Puurs-Sint-Amands (2019)
        ("71047", "72042"),  # Opglabbeek -> Oudsbergen (2019)
        ("44021", "44021"),  # Gent: a current code maps to itself
        ("4021", None),  # not a Flemish code even after zero padding
        ("21004", None),  # Brussels
    ],
)
def test_merger_mapping(old: str, new: str | None) -> None:
    assert reference.map_nis_code(old) == new


def test_every_merger_target_is_a_current_code() -> None:
    current = set(reference.municipalities()["nis_code"])
    assert set(reference.mergers()["new_nis"]) <= current


@pytest.mark.slow
def test_province_shapes_are_valid_and_have_the_real_areas() -> None:
    prov = reference.province_geometries()
    assert prov.geometry.is_valid.all()
    areas = dict(zip(prov["name"], prov["area_km2"], strict=True))
    assert areas == pytest.approx({"Antwerpen": 2855.9, "Vlaams-Brabant": 2118.3, "West-Vlaanderen": 3197.0,
                                   "Oost-Vlaanderen": 3027.3, "Limburg": 2427.4}, abs=0.5)


@pytest.mark.slow
def test_every_municipality_has_a_seat_inside_its_own_cantons() -> None:
    seats = reference.seats()
    assert len(seats) == 285 and seats[["lat", "lon"]].notna().all().all()
    cantons = reference.cantons()
    for row in seats.sample(40, random_state=1).itertuples():
        own = cantons[cantons["nis_codes"].apply(lambda codes, n=row.nis_code: n in codes)]
        assert own.geometry.contains(shapely.Point(row.lon, row.lat)).any(), row.nis_code


def test_lambert72_to_wgs84_on_known_points() -> None:
    # The central meridian of Lambert 72 (4°22'02.952" E) runs through x = 150 000,013 m; the
    # BD72 -> WGS84 datum shift moves it by less than 0.003°.
    lon, _ = geo.to_wgs84(np.array([150000.013]), np.array([170000.0]), geo.LAMBERT72)
    assert lon[0] == pytest.approx(4.367487, abs=0.003)
    # Gent, Korenmarkt: about x 104 700, y 194 000 in Lambert 72.
    x, y = geo.from_wgs84(np.array([3.7209]), np.array([51.0544]), geo.LAMBERT72)
    assert (x[0], y[0]) == pytest.approx((104_700, 194_000), abs=1_500)
    back_lon, back_lat = geo.to_wgs84(x, y, geo.LAMBERT72)
    assert (back_lon[0], back_lat[0]) == pytest.approx((3.7209, 51.0544), abs=1e-7)


def test_crs_guess_tells_lambert72_lambert2008_and_degrees_apart() -> None:
    lon, lat = np.array([3.72, 4.40, 5.33]), np.array([51.05, 51.22, 50.93])
    for crs in (geo.LAMBERT72, geo.LAMBERT2008):
        x, y = geo.from_wgs84(lon, lat, crs)
        assert geo.guess_projected_crs(x, y) == crs
    assert geo.guess_projected_crs(lon, lat) == geo.WGS84
