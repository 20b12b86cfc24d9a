package handler

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/signintech/gopdf"

	"lingong/model"
)

// PosterFonts are the two TrueType fonts a poster is set in: Chinese in one (Droid Sans Fallback has the
// characters but no Latin letters or digits), letters and digits in the other.
type PosterFonts struct {
	CJK   string
	Latin string
}

// DefaultPosterFonts are where Debian's fonts-droid-fallback and fonts-dejavu-core put them.
var DefaultPosterFonts = PosterFonts{
	CJK:   "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	Latin: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
}

// Available tells whether both font files are there.
func (f PosterFonts) Available() bool {
	for _, p := range []string{f.CJK, f.Latin} {
		if p == "" {
			return false
		}
		if _, err := os.Stat(p); err != nil {
			return false
		}
	}
	return true
}

var errPosterUnavailable = newError(http.StatusServiceUnavailable, "poster_unavailable", "暂时打印不了海报，请联系工作人员")
var errPosterNotOpen = newError(http.StatusConflict, "gig_not_published", "这个活现在不在招工，不能打印海报")

func (a *API) routesPoster() {
	a.handle(http.MethodGet, "/api/v1/gigs/:id/poster.pdf", routeDoc{Summary: "A4 招工海报（雇主本人或本辖区工作人员），带扫码报名的小程序码",
		Tag: "gigs", Auth: true}, a.poster)
}

// posterGig finds a gig the caller may print: their own, or one in their staff area.
func (a *API) posterGig(c *gin.Context, id uint64) (*model.GigDetail, error) {
	ctx, user := c.Request.Context(), currentUser(c)
	d, err := a.opts.Store.OwnGigDetail(ctx, user.ID, id)
	if !errors.Is(err, model.ErrNotFound) {
		return d, err
	}
	scope, err := a.opts.Store.StaffScope(ctx, user.ID)
	if err != nil {
		return nil, model.ErrNotFound
	}
	return a.opts.Store.GigForStaff(ctx, scope, id)
}

func (a *API) poster(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	g, err := a.posterGig(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	// A poster invites people to a gig that is on the market: none for one waiting, paused or over.
	if g.Status != model.GigPublished && g.Status != model.GigFilled {
		fail(c, errPosterNotOpen)
		return
	}
	if !a.opts.PosterFonts.Available() {
		fail(c, errPosterUnavailable)
		return
	}
	wctx, cancel := a.wechatContext(c)
	code, err := a.opts.WeChat.MiniProgramCode(wctx, "pages/gig/detail", fmt.Sprintf("%d", g.ID))
	cancel()
	if err != nil {
		fail(c, err)
		return
	}
	pdf, err := renderPoster(a.opts.PosterFonts, g, code)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="gig-%d.pdf"`, g.ID))
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// renderPoster lays out an A4 poster for the market wall: read from a few metres, the wage and phone largest.
func renderPoster(fonts PosterFonts, g *model.GigDetail, code []byte) ([]byte, error) {
	pdf := gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.SetInfo(gopdf.PdfInfo{Title: g.Title, Creator: "lingong"})
	pdf.AddPage()
	if err := pdf.AddTTFFont("cjk", fonts.CJK); err != nil {
		return nil, fmt.Errorf("poster font: %w", err)
	}
	if err := pdf.AddTTFFont("latin", fonts.Latin); err != nil {
		return nil, fmt.Errorf("poster font: %w", err)
	}
	p := &poster{pdf: &pdf, y: 64}
	pdf.SetFillColor(11, 92, 173)
	pdf.RectFromUpperLeftWithStyle(0, 0, 595, 30, "F")
	units := map[string]string{model.WageDay: "天", model.WageHour: "小时", model.WagePiece: "件"}
	wage := strconv.FormatFloat(float64(g.WageCents)/100, 'f', -1, 64) + "元/" + units[g.WageUnit]
	if g.Settlement == model.SettleDaily {
		wage += "  日结"
	}
	dates := g.StartDate
	if g.EndDate != g.StartDate {
		dates += " 至 " + g.EndDate
	}
	blue, black, red, grey := [3]uint8{11, 92, 173}, [3]uint8{26, 26, 26}, [3]uint8{176, 0, 32}, [3]uint8{60, 60, 60}
	lines := []struct {
		size  float64
		color [3]uint8
		text  string
		gap   float64
	}{
		{20, blue, "招工 · " + g.CategoryName, 20},
		{40, black, g.Title, 10},
		{48, red, wage, 12},
		{24, black, fmt.Sprintf("招 %d 人，还差 %d 人", g.Headcount, g.SpotsLeft()), 6},
		{24, black, "时间：" + dates + "  " + g.WorkHours, 6},
		{24, black, "地点：" + g.Address, 6},
		{24, black, "雇主：" + g.EmployerName, 12},
		{36, black, "电话：" + g.ContactPhone, 12},
		{18, grey, g.Description, 8},
	}
	for _, l := range lines {
		if err := p.write(l.size, l.color, l.text, l.gap); err != nil {
			return nil, err
		}
	}
	img, err := gopdf.ImageHolderByBytes(code)
	if err != nil {
		return nil, fmt.Errorf("mini-program code: %w", err)
	}
	if err := pdf.ImageByHolder(img, 197.5, 600, &gopdf.Rect{W: 200, H: 200}); err != nil {
		return nil, err
	}
	p.y = 824
	if err := p.write(18, black, "微信扫一扫，看详情、一键报名", 0); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if _, err := pdf.WriteTo(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// poster writes wrapped lines of mixed Chinese and Latin text down the page.
type poster struct {
	pdf *gopdf.GoPdf
	y   float64
}

const posterLeft, posterWidth = 48.0, 499.0

// fontFor is the font that has a character: letters, digits and ASCII punctuation in Latin, the rest in CJK.
func fontFor(r rune) string {
	if r < 0x2E80 {
		return "latin"
	}
	return "cjk"
}

func (p *poster) write(size float64, color [3]uint8, text string, gap float64) error {
	if text == "" {
		return nil
	}
	p.pdf.SetTextColor(color[0], color[1], color[2])
	x := posterLeft
	for _, r := range text {
		if err := p.pdf.SetFont(fontFor(r), "", size); err != nil {
			return err
		}
		w, err := p.pdf.MeasureTextWidth(string(r))
		if err != nil {
			return err
		}
		if x+w > posterLeft+posterWidth {
			x, p.y = posterLeft, p.y+size*1.3
		}
		p.pdf.SetXY(x, p.y)
		if err := p.pdf.Text(string(r)); err != nil {
			return err
		}
		x += w
	}
	p.y += size*1.3 + gap
	return nil
}
