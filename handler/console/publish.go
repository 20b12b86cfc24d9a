package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// PublishStore is what the 发布 pages need from the model; the API's routes (POST /admin/wage-guides,
// /admin/notices, /admin/shortages, /admin/job-fairs, /admin/markets) call the same functions.
type PublishStore interface {
	Categories(ctx context.Context) ([]model.Category, error)
	PublishedIn(ctx context.Context, scope model.Scope, limit int) (*model.Published, error)
	Markets(ctx context.Context, near *model.Place, areaCode string) ([]model.Market, error)
	Market(ctx context.Context, id uint64) (*model.Market, error)
	SaveMarket(ctx context.Context, scope model.Scope, id uint64, in model.MarketInput) (*model.Market, error)
	PublishWageGuide(ctx context.Context, scope model.Scope, in model.WageGuideInput) (*model.WageGuide, error)
	PublishNotice(ctx context.Context, scope model.Scope, title, body, areaCode string) (*model.Notice, error)
	PublishShortage(ctx context.Context, scope model.Scope, categoryID uint64, areaCode, period, note string) (*model.ShortageOccupation, error)
	PublishJobFair(ctx context.Context, scope model.Scope, f model.JobFair) (*model.JobFair, error)
}

// 发布: what the staff member's scope has published (model.PublishedIn) and its markets and stations; a form
// for each kind, refused beside its fields with what was typed kept; a market placed on a map of the scope.

// publishKinds are the four things published with one form each; the key is the path and the form's name.
var publishKinds = map[string]string{
	"wage-guides": "工资指导价位",
	"notices":     "政策通知",
	"shortages":   "紧缺工种",
	"job-fairs":   "专场招聘会",
}

var publishDone = map[string]string{
	"wage-guides": "工资指导价位已发布，小程序里看工资时就按它提示。",
	"notices":     "通知已发布，小程序“政策通知”里能看到。",
	"shortages":   "紧缺工种已发布。",
	"job-fairs":   "招聘会已发布，小程序里能看到。",
	"market":      "零工市场（驿站）已保存，小程序的“附近的零工市场”里能看到。",
}

// publishedRows is how many of each kind the page lists.
const publishedRows = 50

type publishBody struct {
	Published  *model.Published
	Markets    []model.Market
	Categories map[uint64]string
	Done       string
}

// publishFormBody is one kind's form; Form holds what was typed, by field name.
type publishFormBody struct {
	Kind, Name string
	Form       map[string]string
	Categories []model.Category
	Markets    []model.Market
	Areas      []model.Area
	Problem    *Problem
}

type marketBody struct {
	ID       uint64
	Form     map[string]string
	Counties []model.Area
	Map      areaMap
	Problem  *Problem
}

func (con *Console) publishRoutes(signedIn, signedInChange []gin.HandlerFunc) []Route {
	with := func(chain []gin.HandlerFunc, h gin.HandlerFunc) []gin.HandlerFunc {
		return append(append([]gin.HandlerFunc{}, chain...), h)
	}
	routes := []Route{
		{Method: http.MethodGet, Path: "/console/publish", Summary: "发布：本辖区发布过的工资指导价位、通知、紧缺工种、招聘会和零工市场（驿站）", Handlers: with(signedIn, con.publishPage)},
		{Method: http.MethodGet, Path: "/console/publish/markets/new", Summary: "新增零工市场或驿站：表单和本辖区的地图", Handlers: with(signedIn, con.marketPage)},
		{Method: http.MethodPost, Path: "/console/publish/markets", Summary: "新增零工市场或驿站（本辖区）", Handlers: with(signedInChange, con.saveMarket)},
		{Method: http.MethodGet, Path: "/console/publish/markets/:id", Summary: "修改零工市场或驿站：表单和本辖区的地图", Handlers: with(signedIn, con.marketPage)},
		{Method: http.MethodPost, Path: "/console/publish/markets/:id", Summary: "修改零工市场或驿站（本辖区）", Handlers: with(signedInChange, con.saveMarket)},
	}
	// In a fixed order, so that the routes (and the OpenAPI document) come out the same every start.
	for _, kind := range []string{"wage-guides", "notices", "shortages", "job-fairs"} {
		name := publishKinds[kind]
		routes = append(routes,
			Route{Method: http.MethodGet, Path: "/console/publish/" + kind + "/new", Summary: "发布" + name + "：表单", Handlers: with(signedIn, con.publishFormPage(kind))},
			Route{Method: http.MethodPost, Path: "/console/publish/" + kind, Summary: "发布" + name + "（本辖区）", Handlers: with(signedInChange, con.publishOne(kind))})
	}
	return routes
}

func (con *Console) publishPage(c *gin.Context) {
	ctx := c.Request.Context()
	pub, err := con.opts.Publish.PublishedIn(ctx, scope(c), publishedRows)
	if err != nil {
		con.fail(c, err)
		return
	}
	markets, err := con.opts.Publish.Markets(ctx, nil, areaOf(scope(c)))
	if err != nil {
		con.fail(c, err)
		return
	}
	cats, err := con.opts.Publish.Categories(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	names := map[uint64]string{}
	for _, cat := range cats {
		names[cat.ID] = cat.Name
	}
	con.render(c, http.StatusOK, "publish", pageData{Title: "发布", Nav: "publish",
		Body: publishBody{Published: pub, Markets: markets, Categories: names, Done: publishDone[c.Query("done")]}})
}

func (con *Console) publishFormPage(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		form := map[string]string{"area_code": areaOf(scope(c))}
		con.showPublishForm(c, http.StatusOK, kind, form, nil)
	}
}

func (con *Console) showPublishForm(c *gin.Context, status int, kind string, form map[string]string, p *Problem) {
	ctx := c.Request.Context()
	body := publishFormBody{Kind: kind, Name: publishKinds[kind], Form: form, Problem: p, Areas: areasOf(areaOf(scope(c)))}
	var err error
	if body.Categories, err = con.opts.Publish.Categories(ctx); err != nil {
		con.fail(c, err)
		return
	}
	if body.Markets, err = con.opts.Publish.Markets(ctx, nil, areaOf(scope(c))); err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, status, "publish-form", pageData{Title: "发布" + body.Name, Nav: "publish", Body: body})
}

// publishFields are each kind's form fields, read as typed.
var publishFields = map[string][]string{
	"wage-guides": {"category_id", "area_code", "period", "low", "median", "high"},
	"notices":     {"title", "body", "area_code"},
	"shortages":   {"category_id", "area_code", "period", "note"},
	"job-fairs":   {"market_id", "title", "date", "start_time", "end_time", "description"},
}

func readForm(c *gin.Context, fields []string) map[string]string {
	form := map[string]string{}
	for _, f := range fields {
		form[f] = c.PostForm(f)
		if f != "body" && f != "description" && f != "services" {
			form[f] = strings.TrimSpace(form[f])
		}
	}
	return form
}

// publishOne publishes one thing of a kind through the model function the API's route calls; what the form
// cannot read as a number is named beside its field together with the model's own refusals.
func (con *Console) publishOne(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, sc := c.Request.Context(), scope(c)
		form := readForm(c, publishFields[kind])
		unread := map[string]string{}
		var id uint64
		var detail string
		var err error
		switch kind {
		case "wage-guides":
			in := model.WageGuideInput{CategoryID: number(form["category_id"]), AreaCode: form["area_code"], Period: form["period"]}
			var ok bool
			if in.LowCents, ok = parseYuan(form["low"]); !ok {
				unread["low_cents"] = "低位数写元，如 180"
			}
			if in.MedianCents, ok = parseYuan(form["median"]); !ok {
				unread["low_cents"] = "中位数写元，如 220"
			}
			if in.HighCents, ok = parseYuan(form["high"]); !ok {
				unread["low_cents"] = "高位数写元，如 280"
			}
			// A number it could not read is zero, which the model refuses (0 < low ≤ median ≤ high): its other
			// refusals show too.
			var g *model.WageGuide
			if g, err = con.opts.Publish.PublishWageGuide(ctx, sc, in); err == nil {
				id, detail = g.ID, g.AreaCode+" "+g.Period
			}
		case "notices":
			var n *model.Notice
			if n, err = con.opts.Publish.PublishNotice(ctx, sc, form["title"], form["body"], form["area_code"]); err == nil {
				id, detail = n.ID, n.Title
			}
		case "shortages":
			var s *model.ShortageOccupation
			if s, err = con.opts.Publish.PublishShortage(ctx, sc, number(form["category_id"]), form["area_code"], form["period"], form["note"]); err == nil {
				id, detail = s.ID, s.AreaCode+" "+s.Period
			}
		case "job-fairs":
			var f *model.JobFair
			if f, err = con.opts.Publish.PublishJobFair(ctx, sc, model.JobFair{MarketID: number(form["market_id"]), Title: form["title"],
				Date: form["date"], StartTime: form["start_time"], EndTime: form["end_time"], Description: form["description"]}); err == nil {
				id, detail = f.ID, f.Title
			}
		}
		if err != nil || len(unread) > 0 {
			p, ok := con.refusal(c, err, unread)
			if ok {
				con.showPublishForm(c, p.Status, kind, form, p)
			}
			return
		}
		con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), kind, strconv.FormatUint(id, 10), detail)
		c.Redirect(http.StatusSeeOther, "/console/publish?done="+kind+"#"+kind)
	}
}

// refusal is a refused form's problem with what the form could not read added; false when the console has
// answered already (a server fault, or a thing outside the scope, which reads as not found as in the API).
func (con *Console) refusal(c *gin.Context, err error, unread map[string]string) (*Problem, bool) {
	p := Problem{Status: http.StatusBadRequest, Message: "有几项没填对，请看红字"}
	if err != nil {
		if p = con.opts.Explain(err); p.Status >= 500 || errors.Is(err, model.ErrNotFound) && len(p.Fields) == 0 {
			con.fail(c, err)
			return nil, false
		}
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	for field, msg := range unread {
		p.Fields[field] = msg
	}
	return &p, true
}

// number is a form's id; anything else is 0, which the model refuses by name.
func number(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

var marketFields = []string{"kind", "name", "area_code", "address", "lat", "lng", "opening_hours", "services", "hotline", "complaint_phone"}

func (con *Console) marketPage(c *gin.Context) {
	form := map[string]string{"kind": model.MarketKindMarket, "area_code": areaOf(scope(c))}
	var id uint64
	if c.Param("id") != "" {
		m, err := con.scopedMarket(c)
		if err != nil {
			con.fail(c, err)
			return
		}
		id = m.ID
		form = map[string]string{"kind": m.Kind, "name": m.Name, "area_code": m.AreaCode, "address": m.Address,
			"lat": strconv.FormatFloat(m.Lat, 'f', 6, 64), "lng": strconv.FormatFloat(m.Lng, 'f', 6, 64),
			"opening_hours": m.OpeningHours, "services": m.Services, "hotline": m.Hotline, "complaint_phone": m.ComplaintPhone}
	}
	con.showMarket(c, http.StatusOK, marketBody{ID: id, Form: form})
}

// scopedMarket is the market of the path when it lies in the staff member's scope; another area's reads as
// not found, as SaveMarket answers.
func (con *Console) scopedMarket(c *gin.Context) (*model.Market, error) {
	m, err := con.opts.Publish.Market(c.Request.Context(), pathID(c))
	if err != nil {
		return nil, err
	}
	if !scope(c).Covers(m.AreaCode) {
		return nil, model.ErrNotFound
	}
	return m, nil
}

func (con *Console) showMarket(c *gin.Context, status int, body marketBody) {
	markets, err := con.opts.Publish.Markets(c.Request.Context(), nil, areaOf(scope(c)))
	if err != nil {
		con.fail(c, err)
		return
	}
	lat, errLat := strconv.ParseFloat(body.Form["lat"], 64)
	lng, errLng := strconv.ParseFloat(body.Form["lng"], 64)
	var marker *model.Place
	if errLat == nil && errLng == nil {
		marker = &model.Place{Lat: lat, Lng: lng}
	}
	body.Map = drawMap(markets, body.ID, marker)
	body.Counties = countiesOf(areaOf(scope(c)))
	title := "新增零工市场或驿站"
	if body.ID != 0 {
		title = "修改" + body.Form["name"]
	}
	con.render(c, status, "market", pageData{Title: title, Nav: "publish", Body: body})
}

func (con *Console) saveMarket(c *gin.Context) {
	var id uint64
	if c.Param("id") != "" {
		m, err := con.scopedMarket(c)
		if err != nil {
			con.fail(c, err)
			return
		}
		id = m.ID
	}
	form := readForm(c, marketFields)
	in := model.MarketInput{Kind: form["kind"], Name: form["name"], AreaCode: form["area_code"], Address: form["address"],
		OpeningHours: form["opening_hours"], Services: form["services"], Hotline: form["hotline"], ComplaintPhone: form["complaint_phone"]}
	unread := map[string]string{}
	var errLat, errLng error
	in.Lat, errLat = strconv.ParseFloat(form["lat"], 64)
	in.Lng, errLng = strconv.ParseFloat(form["lng"], 64)
	if errLat != nil || errLng != nil {
		unread["location"] = "请在地图上点一下位置，或填写纬度、经度，如 31.86、117.28"
	}
	// A place it could not read is zero, which the model refuses: its other refusals show too.
	if len(unread) > 0 {
		in.Lat, in.Lng = 0, 0
	}
	m, err := con.opts.Publish.SaveMarket(c.Request.Context(), scope(c), id, in)
	if err != nil || len(unread) > 0 {
		if p, ok := con.refusal(c, err, unread); ok {
			con.showMarket(c, p.Status, marketBody{ID: id, Form: form, Problem: p})
		}
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "markets", strconv.FormatUint(m.ID, 10), m.Name)
	c.Redirect(http.StatusSeeOther, "/console/publish?done=market#markets")
}

// areasOf are the areas a staff member may publish to: their own and every area within it, for the form's
// choice (a typed code outside the scope would only be refused).
func areasOf(areaCode string) []model.Area {
	var out []model.Area
	prefix := ""
	if a, ok := model.LookupArea(areaCode); ok {
		prefix = a.AreaPrefix()
	}
	for _, a := range model.Areas() {
		if strings.HasPrefix(a.Code, prefix) {
			out = append(out, a)
		}
	}
	return out
}

// countiesOf are the counties a market of the scope may be in, for the form's choice.
func countiesOf(areaCode string) []model.Area {
	var out []model.Area
	prefix := ""
	if a, ok := model.LookupArea(areaCode); ok {
		prefix = a.AreaPrefix()
	}
	for _, a := range model.Areas() {
		if a.Level == model.AreaCounty && strings.HasPrefix(a.Code, prefix) {
			out = append(out, a)
		}
	}
	return out
}

func marketKindWord(kind string) string {
	if kind == model.MarketKindStation {
		return "零工驿站"
	}
	return "零工市场"
}
