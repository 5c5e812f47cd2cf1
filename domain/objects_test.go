package domain

import (
	"strings"
	"testing"
	"time"
)

func TestCheckObjectKeyAndPrefix(t *testing.T) {
	for _, tc := range []struct {
		s             string
		key, prefixOK bool
	}{
		{"materials/12/0af3", true, true},
		{"a", true, true},
		{"a.b_c-d/e", true, true},
		{"", false, true},
		{"materials/12/", false, true},
		{"/a", false, false},
		{"a//b", false, false},
		{"../a", false, false},
		{"a/../b", false, false},
		{"A/b", false, false},
		{"a b", false, false},
		{"a/\x00", false, false},
		{"tệp", false, false},
		{strings.Repeat("a", 513), false, false},
	} {
		if got := CheckObjectKey(tc.s) == nil; got != tc.key {
			t.Errorf("CheckObjectKey(%q) ok=%v, want %v", tc.s, got, tc.key)
		}
		if got := CheckObjectPrefix(tc.s) == nil; got != tc.prefixOK {
			t.Errorf("CheckObjectPrefix(%q) ok=%v, want %v", tc.s, got, tc.prefixOK)
		}
	}
}

func TestUploadPolicyCheck(t *testing.T) {
	ok := UploadPolicy{Prefix: "materials/1", ContentType: "application/pdf", MinSize: 1, MaxSize: 10}
	p := ok
	if err := p.Check(); err != nil || p.Expires != DefaultPresignExpiry {
		t.Fatalf("valid policy: %v, expires %s", err, p.Expires)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*UploadPolicy)
		field string
	}{
		{"no prefix", func(p *UploadPolicy) { p.Prefix = "" }, "object_prefix"},
		{"bad prefix", func(p *UploadPolicy) { p.Prefix = "../x" }, "object_prefix"},
		{"bad content type", func(p *UploadPolicy) { p.ContentType = "pdf" }, "content_type"},
		{"content type with parameters", func(p *UploadPolicy) { p.ContentType = "text/plain; charset=utf-8" }, "content_type"},
		{"empty files allowed", func(p *UploadPolicy) { p.MinSize = 0 }, "size_range"},
		{"range upside down", func(p *UploadPolicy) { p.MinSize = 11 }, "size_range"},
		{"expiry too long", func(p *UploadPolicy) { p.Expires = 25 * time.Hour }, "presign_expiry"},
		{"negative expiry", func(p *UploadPolicy) { p.Expires = -time.Second }, "presign_expiry"},
	} {
		p := ok
		tc.edit(&p)
		err := p.Check()
		if ErrorCode(err) != CodeInvalid || len(AsError(err).Fields) != 1 || AsError(err).Fields[0].Code != tc.field {
			t.Errorf("%s: %v, want one field error %s", tc.name, err, tc.field)
		}
	}
}

func TestErrObjectsUnavailable(t *testing.T) {
	e := ErrObjectsUnavailable("objects.Stat", nil)
	if e.Code != CodeUnavailable || !strings.Contains(e.Message, "Kho lưu trữ tệp") {
		t.Fatalf("%+v", e)
	}
}
