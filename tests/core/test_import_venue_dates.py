"""A venue's registration date written in words, as a ward's typed list gives it."""

import pytest

from inspector.core.importers import import_file


@pytest.mark.parametrize("written", ["ngày 28 tháng 1 năm 2021", "Ngày 28 tháng 01 năm 2021", "Ngày 28/01/2021",
                                     "ngày 28 tháng 1, 2021"])
def test_a_registration_date_in_words_is_read(workspace, tmp_path, written):
    path = tmp_path / "venues.csv"
    path.write_text(f'Mã cơ sở,Tên cơ sở,Tọa độ,Ngày đăng ký\nV1,Quán A,"16.445, 107.555","{written}"\n',
                    encoding="utf-8")
    result = import_file(workspace, "venues", path)
    assert result.warnings == {}, result.notes
    assert workspace.query("SELECT registered_on FROM venues").iloc[0, 0] == "2021-01-28"
