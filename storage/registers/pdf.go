package registers

import (
	"fmt"

	"github.com/go-pdf/fpdf"

	"densach/domain/attendance"
	"densach/domain/classes"
)

const family = "DejaVu"

// col is a table column: its heading and width (mm).
type col struct {
	head string
	w    float64
}

type doc struct {
	*fpdf.Fpdf
	r       attendance.Register
	margin  float64
	pageW   float64
	pageH   float64
	content float64 // width between the margins
}

func newDoc(r attendance.Register, orientation string) *doc {
	p := fpdf.New(orientation, "mm", "A4", "")
	p.AddUTF8FontFromBytes(family, "", fontRegular)
	p.AddUTF8FontFromBytes(family, "B", fontBold)
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(12, 12, 12)
	p.SetCreationDate(r.GeneratedAt)
	p.SetModificationDate(r.GeneratedAt)
	p.SetTitle(title(r)+" – "+r.Class.Title, true)
	p.SetCreator("Đèn Sách", true)
	p.AliasNbPages("{nb}")
	w, h := p.GetPageSize()
	d := &doc{Fpdf: p, r: r, margin: 12, pageW: w, pageH: h, content: w - 24}
	p.SetFooterFunc(func() {
		p.SetY(h - 9)
		p.SetFont(family, "", 7.5)
		p.CellFormat(d.content/2, 4, "Lập ngày "+day(r.GeneratedAt)+" – Đèn Sách", "", 0, "L", false, 0, "")
		p.CellFormat(d.content/2, 4, fmt.Sprintf("Trang %d/{nb}", p.PageNo()), "", 0, "R", false, 0, "")
	})
	return d
}

// fit writes text in a cell of width w, shrinking the font down to 6 pt and
// then cutting the text with an ellipsis so that it never overflows.
func (d *doc) fit(w, h float64, text, style string, size float64, border, align string) {
	d.SetFont(family, style, size)
	for size > 6 && d.GetStringWidth(text) > w-1.6 {
		size -= 0.5
		d.SetFont(family, style, size)
	}
	if d.GetStringWidth(text) > w-1.6 {
		rs := []rune(text)
		for len(rs) > 1 && d.GetStringWidth(string(rs)+"…") > w-1.6 {
			rs = rs[:len(rs)-1]
		}
		text = string(rs) + "…"
	}
	d.CellFormat(w, h, text, border, 0, align, false, 0, "")
}

// heading draws the administrative heading: the authority and the centre on
// the left, the national motto on the right, then the title and the facts.
func (d *doc) heading() {
	h := d.r.Heading
	left, right := d.content*0.42, d.content*0.58
	y := d.GetY()
	d.SetXY(d.margin, y)
	d.fit(left, 5, authority(h), "", 10, "", "C")
	d.SetXY(d.margin, y+5)
	d.fit(left, 5, upper(h.CentreName), "B", 10, "", "C")
	d.SetXY(d.margin+left, y)
	d.fit(right, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 10, "", "C")
	d.SetXY(d.margin+left, y+5)
	d.fit(right, 5, "Độc lập - Tự do - Hạnh phúc", "B", 10.5, "", "C")
	// the rules under the centre's name and the motto
	d.SetLineWidth(0.25)
	d.Line(d.margin+left/2-15, y+10.5, d.margin+left/2+15, y+10.5)
	d.SetFont(family, "B", 10.5)
	mw := d.GetStringWidth("Độc lập - Tự do - Hạnh phúc")
	d.Line(d.margin+left+right/2-mw/2, y+10.5, d.margin+left+right/2+mw/2, y+10.5)
	d.SetXY(d.margin, y+16)
	d.fit(d.content, 7, title(d.r), "B", 14, "", "C")
	d.Ln(9)
	for _, f := range facts(d.r) {
		d.SetX(d.margin)
		d.SetFont(family, "B", 10)
		lw := d.GetStringWidth(f[0]+": ") + 1
		d.CellFormat(lw, 5.5, f[0]+": ", "", 0, "L", false, 0, "")
		d.fit(d.content-lw, 5.5, f[1], "", 10, "", "L")
		d.Ln(5.5)
	}
	d.Ln(2)
}

func (d *doc) tableHead(cols []col, h float64) {
	d.SetX(d.margin)
	d.SetFillColor(235, 235, 235)
	d.SetLineWidth(0.2)
	for _, c := range cols {
		x, y := d.GetXY()
		d.Rect(x, y, c.w, h, "FD")
		d.fit(c.w, h, c.head, "B", 8.5, "", "C")
	}
	d.Ln(h)
}

// room makes sure h mm remain above the footer, else starts a page (and
// says whether it did).
func (d *doc) room(h float64) bool {
	if d.GetY()+h <= d.pageH-14 {
		return false
	}
	d.AddPage()
	return true
}

// signatures draws the place and date line and the signature blocks: the
// teacher and the centre.
func (d *doc) signatures() {
	d.room(38)
	d.Ln(4)
	half := d.content / 2
	d.SetX(d.margin + half)
	d.fit(half, 5, fmt.Sprintf("%s, ngày …… tháng …… năm 20……", place(d.r.Heading)), "", 10, "", "C")
	d.Ln(6)
	for i, who := range []string{"GIÁO VIÊN", "XÁC NHẬN CỦA TRUNG TÂM"} {
		d.SetX(d.margin + float64(i)*half)
		d.fit(half, 5, who, "B", 10, "", "C")
	}
	d.Ln(5)
	for i := range 2 {
		d.SetX(d.margin + float64(i)*half)
		d.fit(half, 5, "(Ký, ghi rõ họ tên)", "", 9, "", "C")
	}
	d.Ln(22)
	if t := teachers(d.r); t != "" {
		d.SetX(d.margin)
		d.fit(half, 5, t, "B", 10, "", "C")
	}
}

// PDF implements attendance.RegisterRenderer: fpdf draws (it embeds the
// font as a subset, composite glyphs such as ồ with their components), and
// its ToUnicode maps are then made conformant (tounicode.go).
func (Renderer) PDF(r attendance.Register) ([]byte, error) {
	var d *doc
	if r.Blank() {
		d = newDoc(r, "P")
		d.blank()
	} else {
		d = newDoc(r, "L")
		d.record()
	}
	b := buffer()
	if err := d.Output(b); err != nil {
		return nil, fmt.Errorf("registers.PDF: %w", err)
	}
	out, err := conformToUnicode(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("registers.PDF: %w", err)
	}
	return out, nil
}

// blank draws a session's sheet: one row per learner with room to sign.
func (d *doc) blank() {
	d.AddPage()
	d.heading()
	cols := []col{{"STT", 10}, {"Họ và tên học viên", 62}, {"Có mặt", 16}, {"Ghi chú", 38}, {"Chữ ký học viên", 0}}
	cols[4].w = d.content - 10 - 62 - 16 - 38
	const rowH = 9
	d.tableHead(cols, 8)
	for i, l := range d.r.Learners {
		if d.room(rowH) {
			d.tableHead(cols, 8)
		}
		d.SetX(d.margin)
		d.fit(cols[0].w, rowH, fmt.Sprint(i+1), "", 10, "1", "C")
		d.fit(cols[1].w, rowH, l.Name, "", 10.5, "1", "L")
		for _, c := range cols[2:] {
			d.CellFormat(c.w, rowH, "", "1", 0, "", false, 0, "")
		}
		d.Ln(rowH)
	}
	for range 3 { // rows for learners who join on the day
		if d.room(rowH) {
			d.tableHead(cols, 8)
		}
		d.SetX(d.margin)
		for _, c := range cols {
			d.CellFormat(c.w, rowH, "", "1", 0, "", false, 0, "")
		}
		d.Ln(rowH)
	}
	d.Ln(2)
	d.SetX(d.margin)
	d.fit(d.content, 5, fmt.Sprintf("Tổng số học viên: %d.   Có mặt: ………   Vắng: ………", len(d.r.Learners)), "", 10, "", "L")
	d.Ln(5)
	d.signatures()
}

// record draws the class's grid: learners × sessions with their marks and
// rates, the sessions split into pages of as many columns as fit.
func (d *doc) record() {
	const (
		noW, nameW, rateW, riskW, sessW = 8.0, 50.0, 13.0, 20.0, 9.0
		rowH                            = 6.5
	)
	per := int((d.content - noW - nameW - rateW - riskW) / sessW)
	sessions := d.r.Sessions
	chunks := [][]classes.Session{}
	for len(sessions) > per {
		chunks = append(chunks, sessions[:per])
		sessions = sessions[per:]
	}
	chunks = append(chunks, sessions)
	for ci, chunk := range chunks {
		d.AddPage()
		if ci == 0 {
			d.heading()
		}
		cols := []col{{"STT", noW}, {"Họ và tên học viên", nameW}}
		for _, s := range chunk {
			cols = append(cols, col{sessionHead(s), sessW})
		}
		last := ci == len(chunks)-1
		if last {
			cols = append(cols, col{"Tỉ lệ", rateW}, col{"Ghi chú", riskW})
		}
		d.tableHead(cols, 7)
		for i, l := range d.r.Learners {
			if d.room(rowH) {
				d.tableHead(cols, 7)
			}
			d.SetX(d.margin)
			d.fit(noW, rowH, fmt.Sprint(i+1), "", 9, "1", "C")
			d.fit(nameW, rowH, l.Name, "", 9.5, "1", "L")
			for _, s := range chunk {
				d.fit(sessW, rowH, cell(l, s), "", 9.5, "1", "C")
			}
			if last {
				d.fit(rateW, rowH, rateText(l.Rate), "", 9, "1", "C")
				d.fit(riskW, rowH, riskText[l.Rate.AtRisk], "", 8, "1", "C")
			}
			d.Ln(rowH)
		}
	}
	d.room(10)
	d.Ln(2)
	d.SetX(d.margin)
	d.fit(d.content, 4.5, legend, "", 8.5, "", "L")
	d.Ln(4.5)
	w := d.r.Weights
	d.SetX(d.margin)
	d.fit(d.content, 4.5, fmt.Sprintf("Tỉ lệ tính trên các buổi đã diễn ra, không tính buổi đã huỷ; trọng số: có mặt %g, đến muộn %g, có phép %g, không phép %g.",
		w.Present, w.Late, w.Excused, w.Absent), "", 8.5, "", "L")
	d.Ln(4.5)
	d.signatures()
}
