package domain

import (
	"errors"
	"reflect"
	"regexp"
	"testing"
)

func TestMessageRendersTemplates(t *testing.T) {
	cases := []struct {
		name   string
		params Params
		want   string
	}{
		{"phone_length", nil, "Số điện thoại phải có 10 chữ số."},
		{"text_too_long", Params{"max": 50}, "Nội dung không được dài quá 50 ký tự."},
		{"csv_duplicate_column", Params{"column": "ho_ten"}, `Cột "ho_ten" xuất hiện hai lần trong dòng tiêu đề.`},
		{"text_too_long", nil, "Nội dung không được dài quá {max} ký tự."},                // a missing value shows
		{"text_too_long", Params{"other": 1}, "Nội dung không được dài quá {max} ký tự."}, // so does a wrong name
		{"no_such_message", nil, ""},
	}
	for _, c := range cases {
		if got := Message(c.name, c.params); got != c.want {
			t.Errorf("Message(%q, %v) = %q, want %q", c.name, c.params, got, c.want)
		}
	}
}

func TestCatalogueNamesAndTemplates(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	for name, tmpl := range MessageNames() {
		if !snake.MatchString(name) {
			t.Errorf("%q is not snake_case", name)
		}
		if tmpl == "" {
			t.Errorf("%q has an empty template", name)
		}
	}
	for _, c := range []Code{CodeInvalid, CodeUnauthorized, CodeForbidden, CodeNotFound, CodeConflict, CodeRateLimited, CodeTooLarge, CodeUnavailable, CodeInternal} {
		if !HasMessage(string(c)) {
			t.Errorf("no generic message for code %q", c)
		}
	}
}

func TestKeyedConstructors(t *testing.T) {
	e := Fail(CodeTooLarge, "import_too_large", Params{"max_mb": 10})
	if e.Code != CodeTooLarge || e.Key != "import_too_large" || e.Message != "Tệp quá lớn (tối đa 10 MB); hãy chia thành nhiều tệp nhỏ hơn." || e.Params["max_mb"] != 10 {
		t.Errorf("Fail: %+v", e)
	}
	var f Fields
	f.AddOf("phone", "phone_length", nil)
	// A keyed error without fields is recorded under its key; one without a
	// key under its generic code; a field error under the new field name.
	f.AddErr("file", Fail(CodeInvalid, "csv_too_many_rows", Params{"max": 5}))
	f.AddErr("y", &Error{Code: CodeInvalid, Message: "Sai."})
	f.AddErr("village", Invalid(FieldOf("", "text_too_long", Params{"max": 200})))
	want := Fields{
		{Field: "phone", Code: "phone_length", Message: "Số điện thoại phải có 10 chữ số."},
		{Field: "file", Code: "csv_too_many_rows", Message: "Tệp có quá 5 dòng; hãy chia thành nhiều tệp nhỏ hơn.", Params: Params{"max": 5}},
		{Field: "y", Code: "invalid", Message: "Sai."},
		{Field: "village", Code: "text_too_long", Message: "Nội dung không được dài quá 200 ký tự.", Params: Params{"max": 200}},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("fields\n got %+v\nwant %+v", f, want)
	}
	var inv *Error
	if !errors.As(f.Err(), &inv) || inv.Key != KeyInvalidFields || inv.Message != Message(KeyInvalidFields, nil) {
		t.Errorf("Err: %+v", inv)
	}
}
