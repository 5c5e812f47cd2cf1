package domain

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestValidText(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"", true}, {"Lò Văn Pọm", true}, {"tab\tnew\nline", true}, {"\uFFFD", true},
		{"\x00", false}, {"a\x00b", false}, {"\xff", false}, {"\xc3\x28", false}, {"\xed\xa0\x80", false}, {"Lò\xe1", false},
	} {
		if got := ValidText(c.in); got != c.want {
			t.Errorf("ValidText(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	if fe := InvalidBytes("a\x00\xffb"); fe.Field != "a\uFFFD\uFFFDb" || fe.Code != FieldCodeInvalidBytes || fe.Message == "" {
		t.Errorf("InvalidBytes names %+v", fe)
	}
}

// TestParsePeopleCSVBadBytes puts a NUL into each known column in turn: the
// row fails alone with the column named, and the other rows stay valid.
func TestParsePeopleCSVBadBytes(t *testing.T) {
	header := []string{"ho_ten", "ngay_sinh", "nam_sinh", "gioi_tinh", "dan_toc", "ma_xa", "thon", "cccd", "so_dien_thoai", "email", "chuc_vu_hoi"}
	good := []string{"Lò Văn A", "", "1980", "Nam", "Thái", "12001", "Bản Nậm", "", "", "", ""}
	for i, col := range header {
		for _, bad := range []string{"\x00", "x\x00y"} {
			t.Run(fmt.Sprintf("%s/%q", col, bad), func(t *testing.T) {
				row := append([]string(nil), good...)
				row[i] = bad
				other := append([]string(nil), good...)
				other[0] = "Lò Văn B"
				file := strings.Join(header, ",") + "\n" + strings.Join(row, ",") + "\n" + strings.Join(other, ",") + "\n"
				f, err := ParsePeopleCSV([]byte(file), time.Now())
				if err != nil {
					t.Fatal(err)
				}
				field := importColumns[col]
				if len(f.Errors) != 1 || f.Errors[0].Row != 2 || f.Errors[0].Field != field || f.Errors[0].Code != FieldCodeInvalidBytes || f.Errors[0].Message == "" {
					t.Fatalf("row errors %+v, want one %s on row 2 field %s", f.Errors, FieldCodeInvalidBytes, field)
				}
				if len(f.Rows) != 1 || f.Rows[0].Line != 3 || f.TotalRows != 2 {
					t.Fatalf("valid rows %+v of %d", f.Rows, f.TotalRows)
				}
			})
		}
	}
}
