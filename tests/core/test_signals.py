"""Signals and unit figures against a demo province whose violations are known (truth.csv)."""

import pandas as pd
import pytest

from inspector.core.signals import SIGNALS, assess
from inspector.core.stats import unit_stats
from inspector.demo.build import build_demo
from tests.conftest import gdal_validation

# planted kind -> the signal that should find it
EXPECTED = {
    "no_board": "no_scans", "wrong_location": "location_mismatch", "cloned_board": "cloned_board",
    "staff_not_scanning": "staff_not_scanning", "low_participation": "low_participation",
    "outside_declared_ward": "outside_declared_ward",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signals")
    built = build_demo(folder, venues=2500, days=28, seed=11, registered_in_period=0.03)
    from inspector.core.workspace import Workspace

    ws = Workspace.open(built.workspace)
    truth = pd.read_csv(built.demo.truth)
    return ws, assess(ws), truth


def test_the_demo_workspace_is_a_valid_geopackage(demo):
    """Every layer and table a whole demo import writes, through GDAL's GeoPackage validator."""
    said = gdal_validation(demo[0].path)
    if said is None:
        pytest.skip("GDAL's GeoPackage validator (python3-gdal) is not installed")
    assert said == ""


def test_planted_violations_are_found(demo):
    _ws, assessment, truth = demo
    found = set(zip(assessment.signals["venue_id"], assessment.signals["signal"], strict=True))
    for kind, signal in EXPECTED.items():
        planted = truth.loc[truth["kind"] == kind, "venue_id"]
        recall = sum((v, signal) in found for v in planted) / len(planted)
        assert recall >= 0.8, (kind, recall)
    unscannable = truth.loc[truth["kind"] == "unscannable", "venue_id"]
    flagged = set(assessment.signals["venue_id"])
    assert sum(v in flagged for v in unscannable) / len(unscannable) >= 0.8


def test_risk_ranks_violators_first(demo):
    _ws, assessment, truth = demo
    violators = set(truth.loc[truth["kind"] != "false_report", "venue_id"])
    top = assessment.risk.sort_values("risk", ascending=False).head(200)
    assert top["venue_id"].isin(violators).mean() >= 0.85
    clean = assessment.risk[~assessment.risk["venue_id"].isin(violators)]
    assert (clean["n_signals"] == 0).mean() >= 0.9


def test_every_signal_carries_its_evidence(demo):
    _ws, assessment, _truth = demo
    signals = assessment.signals
    assert set(signals["signal"]) <= set(SIGNALS)
    assert signals["evidence"].map(lambda e: isinstance(e, dict) and len(e) > 0).all()
    no_scans = signals[signals["signal"] == "no_scans"].iloc[0]["evidence"]
    assert no_scans["days_without_scans"] >= 3 and "expected_per_day" in no_scans
    assert signals["since"].dropna().map(lambda d: len(d) == 10).all()


def test_unit_figures_roll_up_the_hierarchy(demo):
    ws, assessment, _truth = demo
    units = ws.read_layer("admin_units")
    stats = unit_stats(units, ws.read_layer("venues"), assessment).set_index("code")
    province = stats[stats["level"] == "province"].iloc[0]
    wards = stats[stats["level"] == "ward"]
    districts = stats[stats["level"] == "district"]
    assert province["venues"] == wards["venues"].sum() == districts["venues"].sum()
    assert province["scans"] == pytest.approx(wards["scans"].sum())
    assert province["population"] == pytest.approx(wards["population"].sum())
    assert province["flagged"] == wards["flagged"].sum()
    days = (assessment.period[1] - assessment.period[0]).days + 1
    expected = province["scans"] / days / province["population"] * 1000
    assert province["scans_per_1000_per_day"] == pytest.approx(expected, abs=0.01)
    assert 0 < province["flagged_share"] < 0.5


def test_period_restricts_the_signals(demo):
    ws, whole, _truth = demo
    first, last = whole.period
    early = assess(ws, (first, first + pd.Timedelta(days=6).to_pytimedelta()))
    assert early.period[1] < last
    assert len(early.metrics) == len(whole.metrics)
    assert early.metrics["scans"].sum() < whole.metrics["scans"].sum()



def test_without_any_scan_no_signal_judged_on_scans_is_raised(venue_workspace):
    from inspector.core.signals import SCAN_SIGNALS

    found = assess(venue_workspace)  # V2, an agency with 35 staff, would be "staff not scanning"
    assert not set(found.signals["signal"]) & set(SCAN_SIGNALS)
    assert len(found.risk) == 4 and (found.risk["n_signals"] == 0).all()
    stats = unit_stats(venue_workspace.read_layer("admin_units"), venue_workspace.read_layer("venues"), found)
    assert stats["scans_per_1000_per_day"].isna().all() and stats["scans_per_day"].isna().all()  # unknown, not 0


def test_a_partial_last_day_is_left_out_of_the_default_period(demo, tmp_path):
    import shutil

    from inspector.core.importers import import_file
    from inspector.core.workspace import Workspace

    ws, assessment, _truth = demo
    copy = Workspace.open(shutil.copy(ws.path, tmp_path / "w.gpkg"))
    first, last = assessment.period
    venue = assessment.metrics["venue_id"].iloc[0]
    late = tmp_path / "late.csv"  # a log that ends early on the next morning
    late.write_text(f"timestamp,venue_id,phone\n{last + pd.Timedelta(days=1)} 06:00:00,{venue},0901234567\n",
                    encoding="utf-8")
    import_file(copy, "scans", late)
    assert copy.period()[1] == str(last + pd.Timedelta(days=1))
    again = assess(copy)
    assert again.period == (first, last)
    pd.testing.assert_frame_equal(again.metrics, assessment.metrics)  # its scan counts nowhere
    before = set(zip(assessment.signals["venue_id"], assessment.signals["signal"], strict=True))
    assert set(zip(again.signals["venue_id"], again.signals["signal"], strict=True)) == before


def test_without_scans_the_period_is_that_of_the_citizen_reports(venue_workspace, tmp_path):
    import datetime as dt

    from inspector.core.importers import import_file

    path = tmp_path / "r.csv"
    path.write_text("report_id,reported_at,venue_id,kind\nR1,2021-08-03 00:30,V1,no board\n"
                    "R2,2021-08-09 23:30,V2,no board\n", encoding="utf-8")
    import_file(venue_workspace, "reports", path)
    assessment = assess(venue_workspace)
    assert assessment.period == (dt.date(2021, 8, 3), dt.date(2021, 8, 9))  # local days, not UTC ones
    assert set(assessment.signals["signal"]) == {"citizen_reports"}


def test_a_citizen_reports_sign_carries_the_latest_reports_text(venue_workspace, tmp_path):
    from inspector.core.importers import import_file

    path = tmp_path / "r.csv"
    path.write_text("report_id,reported_at,venue_id,kind,description\n"
                    "R1,2021-08-03 10:30,V1,no board,Không có bảng\nR2,2021-08-09 16:30,V1,no board,Bảng đã gỡ\n"
                    "R3,2021-08-05 09:00,V1,no board,Vẫn không có\n", encoding="utf-8")
    import_file(venue_workspace, "reports", path)
    signals = assess(venue_workspace).signals.set_index("signal")
    evidence = signals.loc["citizen_reports", "evidence"]
    assert (evidence["reports"], evidence["last_at"], evidence["last_text"]) == (3, "2021-08-09 16:30:00", "Bảng đã gỡ")


def test_staff_who_stop_scanning_late_in_the_period_are_found(demo):
    _ws, assessment, truth = demo
    planted = truth[truth["kind"] == "staff_not_scanning"]
    first, last = assessment.period
    late = planted[pd.to_datetime(planted["from_date"]).dt.date > first + (last - first) / 3]
    assert len(late) >= 2
    found = assessment.signals[assessment.signals["signal"] == "staff_not_scanning"].set_index("venue_id")
    assert set(late["venue_id"]) <= set(found.index)
    for v in late["venue_id"]:
        evidence = found.loc[v, "evidence"]
        if evidence["staff_scanning_per_workday"] >= 0.5 * evidence["staff"]:  # found by the last days alone:
            assert found.loc[v, "since"] >= str(last - pd.Timedelta(days=6))  # dated from them,
            assert evidence["ratio"] == round(evidence["recent_staff_scanning_per_workday"] / evidence["staff"], 3)


def test_venues_registered_during_the_period_are_judged_from_their_registration(demo):
    from inspector.core.signals import SCAN_SIGNALS

    _ws, assessment, _truth = demo
    m = assessment.metrics
    first, last = assessment.period
    registered = pd.to_datetime(m["registered_on"]).dt.date
    late = m[(registered > first) & (m["status"] == "active")]
    assert len(late) >= 30
    assert (late["days"] == [(last - d).days + 1 for d in registered[late.index]]).all()
    signals = assessment.signals
    flagged = signals[signals["venue_id"].isin(late["venue_id"]) & signals["signal"].isin(SCAN_SIGNALS)]
    assert flagged["venue_id"].nunique() <= 0.05 * len(late), flagged


def test_risk_grows_with_the_strength_of_the_evidence():
    from inspector.core import resources
    from inspector.core.risk import risk

    weights = resources.load_toml("thresholds.toml")["signals"]["weights"]
    signals = pd.DataFrame({
        "venue_id": ["gone", "week", "weak", "strong", "report", "reports"],
        "signal": ["no_scans", "no_scans", "low_participation", "low_participation", "citizen_reports",
                   "citizen_reports"],
        "evidence": [{"days_without_scans": 28}, {"days_without_scans": 7}, {"ratio": 0.24}, {"ratio": 0.02},
                     {"reports": 1}, {"reports": 3}]})
    score = risk(signals["venue_id"], signals, weights).set_index("venue_id")["risk"]
    assert score["gone"] > score["week"] and score["strong"] > score["weak"] and score["reports"] > score["report"]
    assert score["gone"] >= 60  # a board gone for weeks is a ground for suspension on its own: High
    assert score["report"] < 30  # one citizen report stays Low


def test_a_missing_capacity_is_that_of_the_venue_s_own_category_for_rate_and_expectation_alike():
    from inspector.core.venue_metrics import _capacity

    m = pd.DataFrame({"category": ["cafe", "cafe", "cafe", "market", "market"],
                      "capacity": [10, 10, None, 1000, 1000]})
    assert _capacity(m).tolist() == [10, 10, 10, 1000, 1000]  # not the 505 of every venue
