package units

import (
	"testing"

	"densach/domain"
)

func TestParseOfficialList(t *testing.T) {
	t.Run("statistics office layout", func(t *testing.T) {
		rows := [][]string{
			{"DANH MỤC ĐƠN VỊ HÀNH CHÍNH"},
			{"Mã", "Tên", "Tên Tiếng Anh", "Cấp", "Mã TP", "Tỉnh / Thành Phố"},
			{"3408", "Phường Tân Phong", "Tan Phong Ward", "Phường", "12", "Tỉnh Lai Châu"},
			{"03478", "Xã Sìn Hồ", "", "Xã", "12", "Tỉnh Lai Châu"},
			{"", "", "", "", "", ""},
		}
		got, err := ParseOfficialList(rows)
		if err != nil {
			t.Fatal(err)
		}
		want := []Entry{
			{Line: 3, Code: "03408", Name: "Tân Phong", Kind: domain.UnitWard, ProvinceCode: "12"},
			{Line: 4, Code: "03478", Name: "Sìn Hồ", Kind: domain.UnitCommune, ProvinceCode: "12"},
			{Code: "12", Name: "Lai Châu", Kind: domain.UnitProvince},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d entries %+v, want %d", len(got), got, len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.Line != w.Line || g.Code != w.Code || g.Name != w.Name || g.Kind != w.Kind || g.ProvinceCode != w.ProvinceCode || g.ValidTo != nil {
				t.Errorf("entry %d: got %+v, want %+v", i, g, w)
			}
		}
	})
	t.Run("history columns", func(t *testing.T) {
		rows := [][]string{
			{"Mã", "Tên", "Cấp", "Mã TP", "Tỉnh / Thành Phố", "Hiệu lực từ", "Hiệu lực đến", "Sáp nhập vào", "Mã đã xác nhận"},
			{"12", "Tỉnh Lai Châu", "Tỉnh", "", "", "2004-01-01", "", "", "có"},
			{"03469", "Xã Can Hồ", "Xã", "12", "Tỉnh Lai Châu", "", "2025-06-30", "03433", "không"},
			{"105", "Thành phố Lai Châu", "Thành phố", "12", "Tỉnh Lai Châu", "2013-12-27", "2025-06-30", "03388; 03408", "có"},
		}
		got, err := ParseOfficialList(rows)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Kind != domain.UnitProvince || got[0].ValidFrom == nil || got[0].ProvinceCode != "" {
			t.Fatalf("province: %+v", got)
		}
		if e := got[1]; e.Kind != domain.UnitCommune || e.ValidFrom != nil || e.ValidTo == nil || !e.Unconfirmed || len(e.SucceededBy) != 1 || e.SucceededBy[0] != "03433" {
			t.Errorf("former commune: %+v", e)
		}
		if e := got[2]; e.Kind != domain.UnitCity || e.Unconfirmed || len(e.SucceededBy) != 2 || e.Name != "Lai Châu" {
			t.Errorf("former city: %+v", e)
		}
	})
	refused := []struct {
		name string
		rows [][]string
	}{
		{"no header", [][]string{{"03408", "Phường Tân Phong", "Phường"}}},
		{"no level column", [][]string{{"Mã", "Tên"}, {"03408", "Phường Tân Phong"}}},
		{"unknown level", [][]string{{"Mã", "Tên", "Cấp", "Mã TP"}, {"03408", "Tân Phong", "Ấp", "12"}}},
		{"commune without province", [][]string{{"Mã", "Tên", "Cấp"}, {"03408", "Phường Tân Phong", "Phường"}}},
		{"bad date", [][]string{{"Mã", "Tên", "Cấp", "Mã TP", "Hiệu lực đến"}, {"03408", "Tân Phong", "Phường", "12", "30/6/2025"}}},
		{"merged but not ended", [][]string{{"Mã", "Tên", "Cấp", "Mã TP", "Sáp nhập vào"}, {"03387", "Tân Phong", "Phường", "12", "03408"}}},
		{"no name", [][]string{{"Mã", "Tên", "Cấp", "Mã TP"}, {"03408", "", "Phường", "12"}}},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := ParseOfficialList(tc.rows); domain.ErrorCode(err) != domain.CodeInvalid {
				t.Fatalf("got %+v, %v; want invalid", got, err)
			}
		})
	}
}
