"""The command line as a data officer uses it: help, exit codes, one-line errors, files written."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest

ROOT = Path(__file__).resolve().parents[1]


def main_py(*args, env=None):
    environment = {**os.environ, "INSPECTOR_LANG": "en", **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=environment, timeout=300)


@pytest.mark.parametrize("command", ["demo", "import", "info", "map"])
def test_every_command_has_help(command):
    done = main_py(command, "--help")
    assert done.returncode == 0 and "usage:" in done.stdout


def test_help_and_usage_errors_speak_the_chosen_language(capsys):
    import argparse

    from inspector.cli import main

    before = argparse._
    with pytest.raises(SystemExit):
        main(["--lang", "vi", "import", "--help"])
    out = capsys.readouterr().out
    assert "cách dùng: main.py import" in out and "tùy chọn:" in out and "các tệp cần nhập" in out
    assert "(danh sách cơ sở: CSV, XLSX, XLS, ODS, GeoJSON)" in " ".join(out.split())  # the formats read, wrapped
    with pytest.raises(SystemExit) as exit_code:
        main(["--lang=vi", "info"])
    assert exit_code.value.code == 2
    assert "lỗi: còn thiếu các đối số bắt buộc: --workspace" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "info"])
    assert "error: the following arguments are required: --workspace" in capsys.readouterr().err
    assert argparse._ is before  # argparse is itself again afterwards


def test_vietnamese_help_names_every_value_in_vietnamese(capsys):
    from inspector.cli import main

    helps = {}
    for command in ("demo", "import"):
        with pytest.raises(SystemExit):
            main(["--lang", "vi", command, "--help"])
        helps[command] = " ".join(capsys.readouterr().out.split())
        # argparse's default metavar is the option's own English name in capitals
        assert not re.findall(r"\b(?:SEED|VENUES|DAYS|SCANS_PER_DAY|LAYER)\b", helps[command]), command
    assert "--venues SỐ" in helps["demo"] and "--scans-per-day SỐ" in helps["demo"]
    assert "--layer LỚP" in helps["import"]


def test_default_language_of_help_is_vietnamese():
    done = main_py("--help", env={"INSPECTOR_LANG": ""})
    assert done.returncode == 0 and "cách dùng:" in done.stdout and "hiện hướng dẫn này rồi thoát" in done.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "demo"
    done = main_py("demo", "--out", out, "--venues", "300", "--days", "7", "--seed", "5")
    assert done.returncode == 0, done.stderr
    return out


def test_demo_writes_files_and_a_workspace(demo):
    for name in ("province.geojson", "districts.geojson", "wards.geojson", "venues.csv", "scans.csv",
                 "reports.xlsx", "truth.csv", "demo.gpkg"):
        assert (demo / name).is_file(), name
    assert "venues" in dict(pyogrio.list_layers(demo / "demo.gpkg"))


def test_import_then_info(demo, tmp_path):
    ws = tmp_path / "w.gpkg"
    for kind, name in (("boundaries", "wards.geojson"), ("venues", "venues.csv"), ("scans", "scans.csv"),
                       ("reports", "reports.xlsx")):
        done = main_py("import", "--workspace", ws, kind, demo / name)
        assert done.returncode == 0, done.stderr
        assert " read, " in done.stdout and "Traceback" not in done.stderr
    again = main_py("import", "--workspace", ws, "venues", demo / "venues.csv")
    assert re.search(r"already imported on \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d; nothing added", again.stdout)
    assert again.returncode == 0
    info = main_py("info", "--workspace", ws)
    assert info.returncode == 0
    assert "Schema version" in info.stdout and "Venues (venues)" in info.stdout
    assert re.search(r"Province +Tỉnh Sông Hương \(mô phỏng\) \(99\)", info.stdout)  # the demo's province
    assert re.search(r"Period covered by scans +\d\d [A-Z][a-z]{2} \d{4} – \d\d [A-Z][a-z]{2} \d{4}", info.stdout)
    from inspector.core.workspace import Workspace

    unlinked = Workspace.open(ws).query("SELECT count(*) AS n FROM citizen_reports WHERE venue_id IS NULL")["n"][0]
    assert re.search(rf"Citizen reports \(citizen_reports\) +[\d,]+\n  of which linked to no venue +{unlinked}\n",
                     info.stdout)


def test_rejected_rows_file_is_written_next_to_the_input(demo, tmp_path):
    bad = tmp_path / "venues.csv"
    bad.write_text("venue_id,name,lat,lon\nA,Good,16.45,107.55\nB,Bad,north,107.5\n", encoding="utf-8")
    done = main_py("import", "--workspace", tmp_path / "w.gpkg", "venues", bad)
    assert done.returncode == 0
    assert "1 rejected" in done.stdout
    assert (tmp_path / "venues.csv.rejected.csv").is_file()


@pytest.mark.parametrize("args,expected", [
    (["info", "--workspace", "missing.gpkg"], "Workspace not found"),
    (["import", "--workspace", "{tmp}/w.gpkg", "venues", "{tmp}/nope.csv"], "File not found"),
    (["import", "--workspace", "{tmp}/w.gpkg", "venues", "{tmp}/empty.csv"], "is empty"),
    (["import", "--workspace", "{tmp}/w.gpkg", "scans", "{tmp}/scans.csv"], "import the venue registry"),
    (["demo", "--out", "{tmp}/demo", "--start", "2021-13-01"], "“2021-13-01” is not a day written as YYYY-MM-DD"),
])
def test_bad_input_gives_one_line_and_non_zero_exit(tmp_path, args, expected):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "scans.csv").write_text("timestamp,venue_id,phone\n2021-08-02 07:00,V1,090\n", encoding="utf-8")
    done = main_py(*[a.format(tmp=tmp_path) for a in args])
    assert done.returncode != 0
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()[-1]) > 10


def test_map_command_writes_html_and_png(demo, tmp_path):
    districts = pyogrio.read_dataframe(demo / "districts.geojson")
    code = districts["district_code"].iloc[0]
    done = main_py("map", "--workspace", demo / "demo.gpkg", "--district", code, "--out", tmp_path / "m.html",
                   "--png", tmp_path / "m.png")
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "inspectorMap" in html and "https://cdn" not in html
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    unknown = main_py("map", "--workspace", demo / "demo.gpkg", "--ward", "00000", "--out", tmp_path / "x.html")
    assert unknown.returncode == 1 and "00000" in unknown.stderr


def test_map_needs_an_output_takes_codes_without_their_zeros_and_checks_levels(demo, tmp_path, capsys):
    from inspector.cli import main

    ws = str(demo / "demo.gpkg")
    assert main(["--lang", "en", "map", "--workspace", ws]) == 1
    assert "Say where to write the map" in capsys.readouterr().err
    district = pyogrio.read_dataframe(demo / "districts.geojson")["district_code"].iloc[0]
    assert main(["--lang", "en", "map", "--workspace", ws, "--ward", district, "--png", str(tmp_path / "w.png")]) == 1
    assert f"“{district}” is a district, not a ward" in capsys.readouterr().err
    png = tmp_path / "d.png"
    assert main(["--lang", "en", "map", "--workspace", ws, "--district", f"00{district}", "--png", str(png)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG" and not list(tmp_path.glob("*.html"))


def test_a_district_png_gets_its_neighbours_and_its_web_map_the_district_alone(demo, tmp_path, monkeypatch):
    import maps.static
    import maps.web
    from inspector.cli import main

    drawn = {}
    monkeypatch.setattr(maps.static, "render_png", lambda data, path, **_: drawn.setdefault("png", data))
    monkeypatch.setattr(maps.web, "build_page", lambda data, **_: drawn.setdefault("html", data) and "<html>")
    district = pyogrio.read_dataframe(demo / "districts.geojson")["district_code"].iloc[0]
    assert main(["--lang", "en", "map", "--workspace", str(demo / "demo.gpkg"), "--district", district,
                 "--out", str(tmp_path / "d.html"), "--png", str(tmp_path / "d.png")]) == 0
    png, html = drawn["png"], drawn["html"]
    assert png.focus == html.focus == district
    assert set(html.units["code"]) < set(png.units["code"])  # the static map gets the units around the district
    assert set(html.units["code"]) == set(png.within(district).units["code"])
    assert set(html.venues["venue_id"]) == set(png.within(district).venues["venue_id"])


def test_vietnamese_is_the_default_language(tmp_path):
    done = main_py("info", "--workspace", tmp_path / "missing.gpkg", env={"INSPECTOR_LANG": "vi"})
    assert "Không tìm thấy không gian làm việc" in done.stderr


def test_language_may_follow_the_command_and_a_foreign_setting_falls_back(tmp_path, capsys, monkeypatch):
    from inspector.cli import main

    monkeypatch.setenv("INSPECTOR_LANG", "en")
    assert main(["info", "--workspace", str(tmp_path / "missing.gpkg"), "--lang", "vi"]) == 1
    assert "Không tìm thấy không gian làm việc" in capsys.readouterr().err
    monkeypatch.setenv("INSPECTOR_LANG", "fr")  # not ours: the default, Vietnamese
    assert main(["info", "--workspace", str(tmp_path / "missing.gpkg")]) == 1
    assert "Không tìm thấy không gian làm việc" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--venues", "--days", "--scans-per-day"])
@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_demo_counts_must_be_positive_whole_numbers(tmp_path, capsys, option, value):
    from inspector.cli import main

    with pytest.raises(SystemExit) as exit_code:
        main(["--lang", "en", "demo", "--out", str(tmp_path / "d"), option, value])
    assert exit_code.value.code == 2
    assert f"argument {option}: “{value}” is not a whole number of at least 1" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


def test_failed_demo_leaves_no_folder_and_os_errors_are_translated(tmp_path, capsys):
    from inspector.cli import main

    out = tmp_path / "new" / "demo"
    assert main(["--lang", "en", "demo", "--out", str(out), "--boundaries", str(tmp_path / "none.geojson")]) == 1
    assert "none.geojson" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
    taken = tmp_path / "taken"
    taken.write_text("a file, not a folder")
    assert main(["--lang", "vi", "demo", "--out", str(taken)]) == 1
    assert capsys.readouterr().err.strip() == f"{taken} đã tồn tại."


def test_demo_overwrites_no_file_of_the_folder_it_is_given(tmp_path, capsys):
    from inspector.cli import main
    from inspector.demo.build import FILE_NAMES, WORKSPACE_NAME, build_demo

    built = build_demo(tmp_path / "built", venues=5, days=1)  # the names checked are those a demo writes
    assert sorted(p.name for p in [*built.files, built.workspace]) == sorted([*FILE_NAMES, WORKSPACE_NAME])
    folder = tmp_path / "mine"
    folder.mkdir()
    own = folder / "venues.csv"  # a data officer's own registry, in the folder given by mistake
    own.write_text("Mã cơ sở,Tên cơ sở\nV1,Quán của tôi\n", encoding="utf-8")
    assert main(["--lang", "en", "demo", "--out", str(folder), "--venues", "5", "--days", "1"]) == 1
    assert capsys.readouterr().err == (f"{folder} already holds files of the names the demo writes (venues.csv); "
                                       "give an empty or new folder, so that no file is overwritten.\n")
    assert own.read_text(encoding="utf-8").endswith("Quán của tôi\n") and [p.name for p in folder.iterdir()] == [
        "venues.csv"]
    assert main(["--lang", "vi", "demo", "--out", str(folder), "--venues", "5", "--days", "1"]) == 1
    assert "đã có tệp trùng tên với các tệp mà tỉnh mẫu sẽ ghi (venues.csv)" in capsys.readouterr().err


def test_a_tiny_demo_without_reports_still_builds(tmp_path, capsys):
    from inspector.cli import main
    from inspector.core.workspace import Workspace

    assert main(["--lang", "en", "demo", "--out", str(tmp_path), "--venues", "1", "--days", "1"]) == 0
    info = Workspace.open(tmp_path / "demo.gpkg").info()
    assert info["counts"]["venues"] == 1 and info["counts"]["citizen_reports"] == 0


def test_a_refused_first_import_leaves_no_workspace_and_map_pairs_are_checked(tmp_path, capsys):
    from inspector.cli import main

    ws = tmp_path / "new.gpkg"
    assert main(["--lang", "en", "import", "--workspace", str(ws), "venues", str(tmp_path / "none.csv")]) == 1
    assert "File not found" in capsys.readouterr().err and not ws.exists()
    with pytest.raises(SystemExit):
        main(["--lang", "en", "import", "--workspace", str(ws), "venues", "v.csv", "--map", "name"])
    assert "“name” is not of the form FIELD=COLUMN" in capsys.readouterr().err
    venues = tmp_path / "v.csv"
    venues.write_text("ma,ten,y,x\nA,Quán,16.45,107.55\n", encoding="utf-8")
    args = ["--map", "venue_id=ma", "--map", "name = ten", "--map", "lat=y", "--map", "lon=x"]
    assert main(["--lang", "en", "import", "--workspace", str(ws), "venues", str(venues), *args]) == 0
    assert "1 accepted" in capsys.readouterr().out


def test_a_folder_given_as_a_file_and_a_mistyped_field_of_map_are_said_as_such(tmp_path, capsys):
    from inspector.cli import main

    ws = tmp_path / "new.gpkg"
    assert main(["--lang", "en", "import", "--workspace", str(ws), "venues", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"{tmp_path} is a folder, not a file: give the files in it to import.\n"
    assert main(["--lang", "vi", "import", "--workspace", str(ws), "venues", str(tmp_path)]) == 1
    assert "là một thư mục, không phải một tệp" in capsys.readouterr().err
    assert main(["--lang", "en", "info", "--workspace", str(tmp_path)]) == 1  # the folder of the workspace
    assert capsys.readouterr().err == f"{tmp_path} is a folder, not a workspace: give the workspace file (.gpkg).\n"
    assert main(["--lang", "vi", "info", "--workspace", str(tmp_path)]) == 1
    assert "là một thư mục, không phải không gian làm việc" in capsys.readouterr().err
    venues = tmp_path / "v.csv"  # "Tên cơ sở" given to a field that does not exist, not "not found" for name
    venues.write_text("Mã cơ sở,Tên cơ sở,Vĩ độ,Kinh độ\nA,Quán,16.45,107.55\n", encoding="utf-8")
    assert main(["--lang", "en", "import", "--workspace", str(ws), "venues", str(venues), "--map",
                 "nom=Tên cơ sở"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("“nom” is not a field of venues; the fields are: venue_id, qr_payload, name,")
    assert not ws.exists()
    assert main(["--lang", "vi", "import", "--workspace", str(ws), "venues", str(venues), "--map",
                 "nom=Tên cơ sở"]) == 1
    assert capsys.readouterr().err.startswith("“nom” không phải là một trường của danh sách cơ sở; các trường gồm:")


def test_an_empty_file_where_the_workspace_goes_is_replaced_by_a_new_workspace(tmp_path, capsys):
    """A crash, or a tool that opened the path, leaves a 0-byte file: it must not block every later command."""
    from inspector.cli import main
    from inspector.core.workspace import Workspace

    ws = tmp_path / "w.gpkg"
    ws.touch()
    points = tmp_path / "points.geojson"
    points.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "1"}, '
                      '"geometry": {"type": "Point", "coordinates": [107.5, 16.4]}}]}', encoding="utf-8")
    assert main(["--lang", "en", "import", "--workspace", str(ws), "boundaries", str(points)]) == 1
    assert "holds no polygons: 1 points" in capsys.readouterr().err and not ws.exists()
    ws.touch()
    venues = tmp_path / "v.csv"
    venues.write_text("venue_id,name,lat,lon\nA,Quán A,16.45,107.55\n", encoding="utf-8")
    assert main(["--lang", "en", "import", "--workspace", str(ws), "venues", str(venues)]) == 0
    assert Workspace.open(ws).info()["counts"]["venues"] == 1


def test_several_files_import_in_turn_and_a_refused_one_does_not_stop_the_rest(tmp_path, capsys):
    from inspector.cli import main
    from inspector.core.workspace import Workspace

    ws = tmp_path / "w.gpkg"
    good1, bad, good2 = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    good1.write_text("venue_id,name,lat,lon\nA,Quán A,16.45,107.55\n", encoding="utf-8")
    bad.write_text("venue_id,name\nB,Quán B\n", encoding="utf-8")
    good2.write_text("venue_id,name,lat,lon\nC,Quán C,16.46,107.56\n", encoding="utf-8")
    code = main(["--lang", "en", "import", "--workspace", str(ws), "venues", str(good1), str(bad), str(good2)])
    out, err = capsys.readouterr()
    assert code == 1 and "b.csv" in err and "required column" in err
    assert "a.csv: 1 row read" in out and "c.csv: 1 row read" in out
    assert Workspace.open(ws).info()["counts"]["venues"] == 2


def test_progress_bar_draws_on_a_terminal_only():
    import io

    from inspector.cli import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for stream, drawn in ((io.StringIO(), ""), (Terminal(), "\rWork [###############...............]  50%")):
        bar = ProgressBar("Work", stream)
        bar(50, 100)
        bar.close()
        assert stream.getvalue() == (drawn + "\n" if drawn else "")


def test_the_option_the_swapped_message_names_fixes_the_rows_and_unused_columns_are_listed(tmp_path):
    venues = tmp_path / "venues.csv"
    venues.write_text("venue_id,name,lat,lon,Ghi chú\nS1,Swapped,107.556,16.445,x\n", encoding="utf-8")
    done = main_py("import", "--workspace", tmp_path / "w.gpkg", "venues", venues)
    assert done.returncode == 1 and "0 accepted, 1 rejected" in done.stdout  # nothing imported is no success
    assert "  Columns not used: “Ghi chú”" in done.stdout.splitlines()
    assert "  No row was accepted" in done.stdout
    message = (tmp_path / "venues.csv.rejected.csv").read_text(encoding="utf-8-sig")
    option = re.search(r"command line with (--[a-z-]+)", message).group(1)
    fixed = main_py("import", "--workspace", tmp_path / "fixed.gpkg", "venues", venues, option)
    assert fixed.returncode == 0 and "1 accepted, 0 rejected" in fixed.stdout, fixed.stderr


def test_the_sheet_option_reads_the_named_sheets_of_a_workbook_or_all_of_them(tmp_path, capsys):
    import openpyxl

    from inspector.cli import main

    book = openpyxl.Workbook()
    book.active.title = "Quận 1"
    for title, venue in (("Quận 1", "A1"), ("Quận 2", "B1"), ("Quận 3", "C1")):
        sheet = book[title] if title in book.sheetnames else book.create_sheet(title)
        sheet.append(["venue_id", "name", "lat", "lon"])
        sheet.append([venue, f"Quán {venue}", 16.45, 107.55])
    book.save(tmp_path / "v.xlsx")
    assert main(["--lang", "en", "import", "--workspace", str(tmp_path / "w.gpkg"), "venues",
                 str(tmp_path / "v.xlsx"), "--sheet", "Quận 2"]) == 0
    assert "Read from the sheet “Quận 2”." in capsys.readouterr().out
    assert main(["--lang", "en", "import", "--workspace", str(tmp_path / "w.gpkg"), "venues",
                 str(tmp_path / "v.xlsx"), "--sheet", "Quận 3", "--sheet", "Quận 1"]) == 0
    assert "Read from 2 sheets as one table: “Quận 1”, “Quận 3”." in capsys.readouterr().out
    assert main(["--lang", "en", "import", "--workspace", str(tmp_path / "all.gpkg"), "venues",
                 str(tmp_path / "v.xlsx"), "--all-sheets"]) == 0
    assert "3 rows read, 3 accepted" in capsys.readouterr().out


def test_files_the_import_fuzzing_found_get_one_line_each_and_the_right_exit_code(tmp_path, capsys):
    """A Parquet footer damaged, a UTF-16 file cut inside a character: refused in one line (exit 1), no traceback."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from inspector.cli import main

    ws = str(tmp_path / "w.gpkg")
    venues = tmp_path / "v.csv"
    venues.write_text("venue_id,name,lat,lon\nV1,Quán A,16.45,107.55\n", encoding="utf-8")
    assert main(["--lang", "vi", "import", "--workspace", ws, "venues", str(venues)]) == 0
    log = tmp_path / "s.parquet"
    pq.write_table(pa.table({"timestamp": ["2021-08-02 07:00"], "venue_id": ["V1"], "phone": ["0901234567"]}), log)
    whole = log.read_bytes()
    log.write_bytes(whole[:-40] + b"\xff" * 32 + whole[-8:])
    cut = tmp_path / "u.csv"
    cut.write_bytes(b"\xff\xfe" + "timestamp,venue_id,phone\n2021-08-02 07:00,V1,0901234567\n".encode("utf-16-le")[:-1])
    capsys.readouterr()
    for path in (log, cut):
        assert main(["--lang", "vi", "import", "--workspace", ws, "scans", str(path)]) == 1
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and path.name in err and "Traceback" not in err
