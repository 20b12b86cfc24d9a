package handler

import (
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// screenFiles are the information screen's page, style and script: plain files, no build step.
//
//go:embed screen
var screenFiles embed.FS

func (a *API) routesScreen() {
	assets, _ := fs.Sub(screenFiles, "screen")
	page, _ := fs.ReadFile(assets, "index.html")
	a.handle(http.MethodGet, "/screen/markets/:id", routeDoc{Summary: "零工市场等候区信息屏（1920×1080 网页，无需登录）", Tag: "screen"},
		func(c *gin.Context) {
			c.Header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
			c.Data(http.StatusOK, "text/html; charset=utf-8", page)
		})
	static := http.StripPrefix("/screen/assets/", http.FileServer(http.FS(assets)))
	a.handle(http.MethodGet, "/screen/assets/*file", routeDoc{Summary: "信息屏的样式和脚本", Tag: "screen"}, gin.WrapH(static))
	a.handle(http.MethodGet, "/api/v1/screen/markets/:id", routeDoc{Summary: "信息屏的数据：附近招工、今天的招聘会、工资指导价位、电话（只含公开信息）",
		Tag: "screen", Response: screenResponse{}}, a.screenData)
	a.handle(http.MethodGet, "/api/v1/screen/markets/:id/code", routeDoc{Summary: "扫码打开小程序的小程序码（图片）", Tag: "screen"},
		a.screenCode)
}

type screenGig struct {
	Title        string `json:"title"`
	Category     string `json:"category"`
	WageCents    int64  `json:"wage_cents"`
	WageUnit     string `json:"wage_unit"`
	Settlement   string `json:"settlement"`
	DistanceM    int    `json:"distance_m"`
	StartDate    string `json:"start_date"`
	EndDate      string `json:"end_date"`
	WorkHours    string `json:"work_hours"`
	SpotsLeft    int    `json:"spots_left"`
	EmployerName string `json:"employer_name"`
}

type screenGuide struct {
	Category  string `json:"category"`
	LowCents  int64  `json:"low_cents"`
	HighCents int64  `json:"high_cents"`
}

type screenResponse struct {
	Market      marketResponse `json:"market"`
	Gigs        []screenGig    `json:"gigs"`
	FairsToday  []fairResponse `json:"fairs_today"`
	WageGuides  []screenGuide  `json:"wage_guides"`
	GeneratedAt time.Time      `json:"generated_at"`
}

// screenRadius is how far from the market a gig is shown on its screen.
const screenRadius = 5000

// screenData is public: no phone numbers of employers, no names of people.
func (a *API) screenData(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	m, err := a.opts.Store.Market(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	hits, _, err := a.opts.Live.Search(model.GigQuery{Lat: m.Lat, Lng: m.Lng, Radius: screenRadius, Sort: model.SortDistance, Limit: 24})
	if err != nil {
		fail(c, err)
		return
	}
	// Nearest first by the kilometre, newest first within it.
	sort.SliceStable(hits, func(i, j int) bool {
		ki, kj := hits[i].DistanceM/1000, hits[j].DistanceM/1000
		if ki != kj {
			return ki < kj
		}
		return hits[i].PublishedAt.After(hits[j].PublishedAt)
	})
	out := screenResponse{Market: marketJSON(m, nil), Gigs: []screenGig{}, FairsToday: []fairResponse{}, WageGuides: []screenGuide{},
		GeneratedAt: a.opts.Store.Now()}
	for _, h := range hits[:min(len(hits), 12)] {
		out.Gigs = append(out.Gigs, screenGig{Title: h.Title, Category: h.CategoryName, WageCents: h.WageCents, WageUnit: h.WageUnit,
			Settlement: h.Settlement, DistanceM: h.DistanceM, StartDate: h.StartDate, EndDate: h.EndDate, WorkHours: h.WorkHours,
			SpotsLeft: h.SpotsLeft(), EmployerName: h.EmployerName})
	}
	fairs, err := a.opts.Store.JobFairs(ctx, m.ID)
	if err != nil {
		fail(c, err)
		return
	}
	today := a.opts.Store.Now().Format(time.DateOnly)
	for i := range fairs {
		if fairs[i].Date == today {
			out.FairsToday = append(out.FairsToday, fairJSON(&fairs[i]))
		}
	}
	guides, err := a.opts.Store.WageGuides(ctx, 0, m.AreaCode)
	if err != nil {
		fail(c, err)
		return
	}
	cats, err := a.opts.Store.Categories(ctx)
	if err != nil {
		fail(c, err)
		return
	}
	names := map[uint64]string{}
	for _, cat := range cats {
		names[cat.ID] = cat.Name
	}
	seen := map[uint64]bool{}
	for _, g := range guides { // newest period first, the most local area first within it
		if seen[g.CategoryID] || len(out.WageGuides) == 8 {
			continue
		}
		seen[g.CategoryID] = true
		out.WageGuides = append(out.WageGuides, screenGuide{Category: names[g.CategoryID], LowCents: g.LowCents, HighCents: g.HighCents})
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}

// codeCache keeps each market's mini-program code: WeChat makes it once, the screen asks every refresh.
type codeCache struct {
	mu    sync.Mutex
	codes map[uint64][]byte
}

func (a *API) screenCode(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	a.codes.mu.Lock()
	img, ok := a.codes.codes[id]
	a.codes.mu.Unlock()
	if !ok {
		if _, err := a.opts.Store.Market(c.Request.Context(), id); err != nil {
			fail(c, err)
			return
		}
		wctx, cancel := a.wechatContext(c)
		img, err = a.opts.WeChat.MiniProgramCode(wctx, "pages/index/index", "m="+c.Param("id"))
		cancel()
		if err != nil {
			logger(c).Warn("mini-program code", slog.Any("err", err))
			fail(c, err)
			return
		}
		a.codes.mu.Lock()
		a.codes.codes[id] = img
		a.codes.mu.Unlock()
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, http.DetectContentType(img), img) // WeChat sends JPEG; the dev code is PNG
}
