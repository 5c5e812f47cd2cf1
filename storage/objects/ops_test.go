package objects_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/objects"
	"densach/storage/objects/objtest"
)

// upload posts body to a presigned policy the way a browser form does and
// returns the status.
func upload(t *testing.T, up domain.PresignedUpload, contentType string, body []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range up.Fields {
		if k == "Content-Type" {
			v = contentType
		}
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", "upload.bin")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(body)
	_ = w.Close()
	resp, err := http.Post(up.URL, w.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// A presigned upload policy admits exactly its content type and size range
// under a server-generated key; the stored file can then be described, its
// first bytes read, downloaded under its Vietnamese name, listed and deleted.
func TestObjectLifecycle(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := objtest.Store(t)
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 100)...)
	policy := domain.UploadPolicy{Prefix: "materials/12", ContentType: "application/pdf", MinSize: 10, MaxSize: 200}

	for _, tc := range []struct {
		name        string
		contentType string
		body        []byte
		ok          bool
	}{
		{"too large", "application/pdf", bytes.Repeat([]byte("x"), 201), false},
		{"too small", "application/pdf", []byte("%PDF"), false},
		{"another content type", "text/html", pdf, false},
		{"as signed", "application/pdf", pdf, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up, err := s.PresignUpload(ctx, policy)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(up.Key, "materials/12/") || domain.CheckObjectKey(up.Key) != nil || up.Fields["key"] != up.Key {
				t.Fatalf("generated key %q, fields %v", up.Key, up.Fields)
			}
			status := upload(t, up, tc.contentType, tc.body)
			if ok := status/100 == 2; ok != tc.ok {
				t.Fatalf("upload answered %d, want success=%v", status, tc.ok)
			}
			_, err = s.Stat(ctx, up.Key)
			if tc.ok != (err == nil) || (!tc.ok && domain.ErrorCode(err) != domain.CodeNotFound) {
				t.Fatalf("Stat after the upload: %v", err)
			}
			if !tc.ok {
				return
			}
			info, _ := s.Stat(ctx, up.Key)
			if info.Size != int64(len(pdf)) || info.ContentType != "application/pdf" || info.Key != up.Key {
				t.Fatalf("Stat = %+v", info)
			}
			head, err := s.ReadHead(ctx, up.Key, 5)
			if err != nil || string(head) != "%PDF-" {
				t.Fatalf("ReadHead = %q, %v", head, err)
			}
			link, err := s.PresignDownload(ctx, up.Key, domain.DownloadOptions{Filename: "Bài 1 – Trồng chè.pdf"})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.Get(link)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cd := resp.Header.Get("Content-Disposition")
			if resp.StatusCode != 200 || !bytes.Equal(got, pdf) || !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''B%C3%A0i%201") {
				t.Fatalf("download: %d, %d bytes, Content-Disposition %q", resp.StatusCode, len(got), cd)
			}
			list, err := s.List(ctx, "materials/12", 10)
			if err != nil || len(list) != 1 || list[0].Key != up.Key {
				t.Fatalf("List = %+v, %v", list, err)
			}
			if list, err := s.List(ctx, "materials/12/", 10); err != nil || len(list) != 1 {
				t.Fatalf("List with a trailing slash = %+v, %v", list, err)
			}
			if list, err := s.List(ctx, "materials/1/", 10); err != nil || len(list) != 0 {
				t.Fatalf("List of another prefix = %+v, %v", list, err)
			}
			for i := 0; i < 2; i++ { // deleting twice is not an error
				if err := s.Delete(ctx, up.Key); err != nil {
					t.Fatalf("Delete #%d: %v", i+1, err)
				}
			}
			if _, err := s.Stat(ctx, up.Key); domain.ErrorCode(err) != domain.CodeNotFound {
				t.Fatalf("Stat after Delete = %v, want not found", err)
			}
			if _, err := s.PresignDownload(ctx, up.Key, domain.DownloadOptions{}); domain.ErrorCode(err) != domain.CodeNotFound {
				t.Fatalf("PresignDownload of a deleted key = %v, want not found", err)
			}
			// Known: the caller vouches for the key, nothing asks the store.
			if link, err := s.PresignDownload(ctx, up.Key, domain.DownloadOptions{Known: true}); err != nil || !strings.Contains(link, "X-Amz-Signature=") {
				t.Fatalf("PresignDownload with Known = %q, %v", link, err)
			}
		})
	}
}

// Keys, prefixes and policies the server would not have made are refused
// before MinIO is asked, with a field code.
func TestObjectInputsAreChecked(t *testing.T) {
	ctx := context.Background()
	s := objtest.Store(t)
	for _, key := range []string{"", "../etc/passwd", "a//b", "/a", "A/b", "a/b c", "a/\x00", strings.Repeat("a", 513)} {
		if _, err := s.Stat(ctx, key); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("Stat(%q) = %v, want invalid", key, err)
		}
	}
	for _, p := range []domain.UploadPolicy{
		{Prefix: "", ContentType: "application/pdf", MinSize: 1, MaxSize: 2},
		{Prefix: "a", ContentType: "pdf", MinSize: 1, MaxSize: 2},
		{Prefix: "a", ContentType: "application/pdf", MinSize: 0, MaxSize: 2},
		{Prefix: "a", ContentType: "application/pdf", MinSize: 3, MaxSize: 2},
		{Prefix: "a", ContentType: "application/pdf", MinSize: 1, MaxSize: 2, Expires: 48 * time.Hour},
	} {
		if _, err := s.PresignUpload(ctx, p); domain.ErrorCode(err) != domain.CodeInvalid || len(domain.AsError(err).Fields) == 0 {
			t.Errorf("PresignUpload(%+v) = %v, want invalid with fields", p, err)
		}
	}
	for _, prefix := range []string{"a//", "/a", "A", "a b"} {
		if _, err := s.List(ctx, prefix, 10); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("List(%q) = %v, want invalid", prefix, err)
		}
	}
}

// With a public endpoint, presigned uploads and downloads name it (and
// work through it: here localhost for 127.0.0.1); ListAfter walks a prefix
// in batches.
func TestPublicEndpointAndListAfter(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg := objtest.Config(t)
	_, port, _ := strings.Cut(cfg.Endpoint, ":")
	if !strings.HasPrefix(cfg.Endpoint, "127.0.0.1:") {
		t.Skip("needs MinIO at 127.0.0.1 to reach it as localhost")
	}
	cfg.PublicEndpoint = "http://localhost:" + port
	s, err := objects.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatal(err)
	}
	body := []byte("%PDF-1.7\nhello")
	var keys []string
	for i := 0; i < 3; i++ {
		up, err := s.PresignUpload(ctx, domain.UploadPolicy{Prefix: "materials/7", ContentType: "application/pdf", MinSize: 1, MaxSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(up.URL, "http://localhost:"+port+"/") {
			t.Fatalf("upload URL %q does not name the public endpoint", up.URL)
		}
		if st := upload(t, up, "application/pdf", body); st/100 != 2 {
			t.Fatalf("upload through the public endpoint answered %d", st)
		}
		keys = append(keys, up.Key)
	}
	link, err := s.PresignDownload(ctx, keys[0], domain.DownloadOptions{Filename: "a.pdf"})
	if err != nil || !strings.HasPrefix(link, "http://localhost:"+port+"/") {
		t.Fatalf("download link %q, %v", link, err)
	}
	if resp, err := http.Get(link); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET through the public endpoint: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	var walked []string
	for after := ""; ; {
		page, err := s.ListAfter(ctx, "materials/", after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page {
			walked = append(walked, o.Key)
		}
		if len(page) < 2 {
			break
		}
		after = page[len(page)-1].Key
	}
	slices.Sort(keys)
	if !slices.Equal(walked, keys) {
		t.Fatalf("walked %v, want %v", walked, keys)
	}
	for _, bad := range []string{"http://h/p", "ftp://h", "http://u:p@h"} {
		if _, _, err := objects.ParsePublicEndpoint(bad, false); err == nil {
			t.Errorf("ParsePublicEndpoint(%q) accepted", bad)
		}
	}
	if h, sec, err := objects.ParsePublicEndpoint("tep.densach.vn", true); err != nil || h != "tep.densach.vn" || !sec {
		t.Errorf("ParsePublicEndpoint of a bare host: %q %v %v", h, sec, err)
	}
}

// The browsers' origin of the store is the public endpoint when set, else
// the endpoint, with the scheme presigned URLs use; nothing that is not a
// host[:port] gets through (it goes into a header).
func TestBrowserOrigin(t *testing.T) {
	for _, c := range []struct {
		cfg  objects.Config
		want string
	}{
		{objects.Config{Endpoint: "127.0.0.1:19000"}, "http://127.0.0.1:19000"},
		{objects.Config{Endpoint: "s3.internal:9000", UseSSL: true}, "https://s3.internal:9000"},
		{objects.Config{Endpoint: "s3.internal:9000", PublicEndpoint: "tep.densach.vn"}, "http://tep.densach.vn"},
		{objects.Config{Endpoint: "s3.internal:9000", UseSSL: true, PublicEndpoint: "tep.densach.vn:8443"}, "https://tep.densach.vn:8443"},
		{objects.Config{Endpoint: "s3.internal:9000", PublicEndpoint: "https://tep.densach.vn/"}, "https://tep.densach.vn"},
		{objects.Config{Endpoint: "s3.internal:9000", UseSSL: true, PublicEndpoint: "http://[::1]:9000"}, "http://[::1]:9000"},
	} {
		if got, err := c.cfg.BrowserOrigin(); err != nil || got != c.want {
			t.Errorf("%+v: %q, %v; want %q", c.cfg, got, err, c.want)
		}
	}
	for _, bad := range []objects.Config{
		{Endpoint: "http://s3.internal:9000"}, {Endpoint: "s3;script-src *"}, {Endpoint: ""},
		{Endpoint: "s3", PublicEndpoint: "https://a;b"}, {Endpoint: "s3", PublicEndpoint: "ftp://h"}, {Endpoint: "s3", PublicEndpoint: "h 'unsafe-inline'"},
	} {
		if got, err := bad.BrowserOrigin(); err == nil {
			t.Errorf("%+v accepted: %q", bad, got)
		}
	}
}
