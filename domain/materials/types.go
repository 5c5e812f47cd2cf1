package materials

import (
	"bytes"
	"path"
	"strings"

	"densach/domain"
)

// fileType is one entry of the allow-list: a content type the server
// accepts, what kind of material it makes, the file name extensions that
// go with it, whether a browser may show it inline (it cannot run script
// on any origin), and the check of its first bytes.
type fileType struct {
	contentType string
	kind        domain.MaterialKind
	exts        []string
	inline      bool
	magic       func(head []byte) bool
}

// headLen is how much of an object the confirm reads: enough for the zip
// entries an office document names near its start.
const headLen = 64 << 10

// allowed is the allow-list. Nothing else is ever accepted: no HTML, SVG,
// XML, scripts or executables, whatever their name says.
var allowed = []fileType{
	{"application/pdf", domain.MaterialDocument, []string{".pdf"}, true, prefix("%PDF-")},
	{"image/jpeg", domain.MaterialImage, []string{".jpg", ".jpeg"}, true, prefix("\xff\xd8\xff")},
	{"image/png", domain.MaterialImage, []string{".png"}, true, prefix("\x89PNG\r\n\x1a\n")},
	{"image/webp", domain.MaterialImage, []string{".webp"}, true, riff("WEBP")},
	{"video/mp4", domain.MaterialVideo, []string{".mp4", ".m4v"}, true, isoMedia},
	{"video/webm", domain.MaterialVideo, []string{".webm"}, true, webm},
	{"audio/mpeg", domain.MaterialAudio, []string{".mp3"}, true, mp3},
	{"audio/mp4", domain.MaterialAudio, []string{".m4a"}, true, isoMedia},
	{"audio/ogg", domain.MaterialAudio, []string{".ogg", ".oga", ".opus"}, true, prefix("OggS")},
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", domain.MaterialDocument, []string{".docx"}, false, ooxml("word/")},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", domain.MaterialDocument, []string{".xlsx"}, false, ooxml("xl/")},
	{"application/vnd.openxmlformats-officedocument.presentationml.presentation", domain.MaterialDocument, []string{".pptx"}, false, ooxml("ppt/")},
	{"application/vnd.oasis.opendocument.text", domain.MaterialDocument, []string{".odt"}, false, odf("application/vnd.oasis.opendocument.text")},
	{"application/vnd.oasis.opendocument.spreadsheet", domain.MaterialDocument, []string{".ods"}, false, odf("application/vnd.oasis.opendocument.spreadsheet")},
}

// aliases are other names browsers give allowed types.
var aliases = map[string]string{
	"audio/x-m4a": "audio/mp4",
	"audio/mp3":   "audio/mpeg",
	"image/jpg":   "image/jpeg",
}

// typeOf finds the allow-list entry of a content type (case ignored,
// aliases resolved; no parameters).
func typeOf(contentType string) (fileType, bool) {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	if a, ok := aliases[ct]; ok {
		ct = a
	}
	for _, t := range allowed {
		if t.contentType == ct {
			return t, true
		}
	}
	return fileType{}, false
}

// hasExt reports whether name ends in one of the type's extensions.
func (t fileType) hasExt(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range t.exts {
		if ext == e {
			return true
		}
	}
	return false
}

// AllowedTypes lists the accepted content types, in the allow-list's order.
func AllowedTypes() []string {
	out := make([]string, len(allowed))
	for i, t := range allowed {
		out[i] = t.contentType
	}
	return out
}

// SafeInline reports whether a stored material of contentType may be shown
// in the browser: only allowed media and PDF; anything else (and anything
// unknown) is downloaded as an attachment.
func SafeInline(contentType string) bool {
	t, ok := typeOf(contentType)
	return ok && t.inline
}

func prefix(p string) func([]byte) bool {
	return func(b []byte) bool { return bytes.HasPrefix(b, []byte(p)) }
}

func riff(form string) func([]byte) bool {
	return func(b []byte) bool { return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == form }
}

// isoMedia is an ISO base media file (MP4, M4A): a box "ftyp" first.
func isoMedia(b []byte) bool { return len(b) >= 12 && string(b[4:8]) == "ftyp" }

// webm is a Matroska (EBML) file whose doc type is webm.
func webm(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0x1a, 0x45, 0xdf, 0xa3}) && bytes.Contains(b[:min(len(b), 64)], []byte("webm"))
}

// mp3 starts with an ID3 tag or an MPEG audio frame sync.
func mp3(b []byte) bool {
	return bytes.HasPrefix(b, []byte("ID3")) || (len(b) >= 2 && b[0] == 0xff && b[1]&0xe0 == 0xe0)
}

// ooxml is a zip whose parts include [Content_Types].xml and the
// application's folder (word/, xl/, ppt/) near the start.
func ooxml(dir string) func([]byte) bool {
	return func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("PK\x03\x04")) && bytes.Contains(b, []byte("[Content_Types].xml")) && bytes.Contains(b, []byte(dir))
	}
}

// odf is an OpenDocument zip: its first entry is the uncompressed file
// "mimetype" holding the media type (ODF 1.2 part 3, 3.3).
func odf(mediaType string) func([]byte) bool {
	return func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("PK\x03\x04")) && len(b) >= 38+len(mediaType) &&
			string(b[30:38]) == "mimetype" && string(b[38:38+len(mediaType)]) == mediaType
	}
}
