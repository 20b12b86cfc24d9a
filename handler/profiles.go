package handler

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesProfiles() {
	a.handle(http.MethodPut, "/api/v1/me/worker", routeDoc{Summary: "求职登记：新建或修改", Tag: "worker", Auth: true,
		Request: workerRequest{}, Response: workerResponse{}}, a.saveWorker)
	a.handle(http.MethodGet, "/api/v1/me/worker", routeDoc{Summary: "我的求职登记（没有时 404 profile_missing）", Tag: "worker",
		Auth: true, Response: workerResponse{}}, a.getWorker)
	a.handle(http.MethodPut, "/api/v1/me/employer", routeDoc{Summary: "招工登记：单位或个人，提交后待审核", Tag: "employer",
		Auth: true, Request: employerRequest{}, Response: ownEmployerResponse{}}, a.saveEmployer)
	a.handle(http.MethodGet, "/api/v1/me/employer", routeDoc{Summary: "我的招工登记和审核状态", Tag: "employer",
		Auth: true, Response: ownEmployerResponse{}}, a.getEmployer)
}

type placeRequest struct {
	Lat     float64 `json:"lat" validate:"latitude" label:"纬度（GCJ-02）"`
	Lng     float64 `json:"lng" validate:"longitude" label:"经度（GCJ-02）"`
	Address string  `json:"address" validate:"max=120" label:"地址"`
}

type workerRequest struct {
	Name                   string        `json:"name" validate:"required,max=20" label:"姓名"`
	IDNumber               string        `json:"id_number" validate:"omitempty,len=18" label:"身份证号；已登记过时不填就保留原来的"`
	Skills                 []uint64      `json:"skills" validate:"required,min=1,max=8" label:"会做的工种（categories 的 id）"`
	ExpectedDailyWageCents int64         `json:"expected_daily_wage_cents" validate:"gte=0" label:"期望日薪（分）"`
	AvailableDays          []int         `json:"available_days" validate:"max=7,dive,min=1,max=7" label:"哪几天能干活：1 周一 … 7 周日"`
	Home                   *placeRequest `json:"home" label:"家的位置（wx.getLocation gcj02），只用于找附近的活"`
	AreaCode               string        `json:"area_code" validate:"omitempty,len=6,numeric" label:"所在区县代码"`
	WantsRegistration      bool          `json:"wants_unemployment_registration" label:"想办理就业失业登记"`
	RequestDifficulty      bool          `json:"request_difficulty_recognition" label:"申请认定就业困难人员"`
}

type workerResponse struct {
	Name                   string             `json:"name"`
	IDNumber               string             `json:"id_number" label:"打码的身份证号"`
	Age                    int                `json:"age"`
	Sex                    string             `json:"sex" label:"male / female，由身份证号得出"`
	Phone                  string             `json:"phone" label:"打码的手机号"`
	Skills                 []categoryResponse `json:"skills"`
	ExpectedDailyWageCents int64              `json:"expected_daily_wage_cents"`
	AvailableDays          []int              `json:"available_days"`
	Home                   *placeRequest      `json:"home"`
	AreaCode               string             `json:"area_code"`
	AreaName               string             `json:"area_name" label:"所在区县的名字，如 合肥市蜀山区"`
	WantsRegistration      bool               `json:"wants_unemployment_registration"`
	DifficultyStatus       string             `json:"difficulty_status" label:"none / requested / recognized / declined"`
	Rating                 float64            `json:"rating"`
	RatingCount            int                `json:"rating_count"`
}

// areaName is how a division reads on a form ("合肥市蜀山区"); empty when none is set.
func areaName(code string) string {
	a, ok := model.LookupArea(code)
	if !ok {
		return ""
	}
	return a.FullName()
}

func daysToBits(days []int) uint8 {
	var bits uint8
	for _, d := range days {
		bits |= 1 << (d - 1)
	}
	return bits
}

func bitsToDays(bits uint8) []int {
	out := []int{}
	for d := 1; d <= 7; d++ {
		if bits&(1<<(d-1)) != 0 {
			out = append(out, d)
		}
	}
	return out
}

func sexOf(male bool) string {
	if male {
		return "male"
	}
	return "female"
}

func (a *API) saveWorker(c *gin.Context) {
	var req workerRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in := model.WorkerInput{Name: req.Name, IDNumber: req.IDNumber, SkillIDs: req.Skills,
		ExpectedWageCents: req.ExpectedDailyWageCents, AvailableDays: daysToBits(req.AvailableDays),
		AreaCode: req.AreaCode, WantsRegistration: req.WantsRegistration, RequestDifficulty: req.RequestDifficulty,
		QuietConflict: true}
	if req.Home != nil {
		in.Home = &model.Place{Lat: req.Home.Lat, Lng: req.Home.Lng, Address: req.Home.Address}
	}
	w, err := a.opts.Store.SaveWorker(c.Request.Context(), currentUser(c).ID, in)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondWorker(c, w)
}

func (a *API) getWorker(c *gin.Context) {
	w, err := a.opts.Store.Worker(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondWorker(c, w)
}

func (a *API) respondWorker(c *gin.Context, w *model.Worker) {
	u, err := a.opts.Store.UserByID(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	phone, err := a.opts.Store.Phone(u)
	if err != nil {
		fail(c, err)
		return
	}
	skills := make([]categoryResponse, len(w.Skills))
	for i, s := range w.Skills {
		skills[i] = categoryResponse{ID: s.ID, Code: s.Code, Name: s.Name, Icon: s.Icon}
	}
	resp := workerResponse{
		Name: w.Name, IDNumber: model.MaskIDNumber(w.IDNumber), Age: w.Age(a.opts.Store.Now()), Sex: sexOf(w.Male),
		Phone: model.MaskPhone(phone), Skills: skills, ExpectedDailyWageCents: w.ExpectedWageCents,
		AvailableDays: bitsToDays(w.AvailableDays), AreaCode: w.AreaCode, AreaName: areaName(w.AreaCode), WantsRegistration: w.WantsRegistration,
		DifficultyStatus: w.DifficultyStatus, Rating: w.Rating, RatingCount: w.RatingCount,
	}
	if w.Home != nil {
		resp.Home = &placeRequest{Lat: w.Home.Lat, Lng: w.Home.Lng, Address: w.Home.Address}
	}
	c.JSON(http.StatusOK, resp)
}

type employerRequest struct {
	Kind         string `json:"kind" validate:"required,oneof=company person" label:"company 单位 / person 个人"`
	CompanyName  string `json:"company_name" validate:"required_if=Kind company,max=64" label:"单位名称"`
	CreditCode   string `json:"credit_code" validate:"required_if=Kind company,omitempty,len=18" label:"统一社会信用代码"`
	LegalName    string `json:"legal_name" validate:"required_if=Kind person,max=20" label:"个人雇主的姓名"`
	IDNumber     string `json:"id_number" validate:"omitempty,len=18" label:"个人雇主的身份证号；已登记过时不填就保留原来的"`
	ContactName  string `json:"contact_name" validate:"required,max=20" label:"联系人"`
	ContactPhone string `json:"contact_phone" validate:"omitempty,len=11,numeric" label:"联系人手机号；已登记过时不填就保留原来的"`
	AreaCode     string `json:"area_code" validate:"required,len=6,numeric" label:"所在区县代码"`
	Address      string `json:"address" validate:"max=120" label:"地址"`
}

type employerResponse struct {
	ID           uint64  `json:"id"`
	Kind         string  `json:"kind"`
	DisplayName  string  `json:"display_name" label:"招工时显示的名字"`
	CreditCode   string  `json:"credit_code"`
	IDNumber     string  `json:"id_number" label:"打码的身份证号（个人雇主）"`
	ContactName  string  `json:"contact_name"`
	ContactPhone string  `json:"contact_phone" label:"打码的手机号"`
	AreaCode     string  `json:"area_code"`
	AreaName     string  `json:"area_name" label:"所在区县的名字"`
	Address      string  `json:"address"`
	Status       string  `json:"status" label:"pending 审核中 / verified 已通过 / rejected 未通过"`
	RejectReason string  `json:"reject_reason"`
	Rating       float64 `json:"rating"`
	RatingCount  int     `json:"rating_count"`
}

func employerJSON(e *model.EmployerView) employerResponse {
	return employerResponse{ID: e.ID, Kind: e.Kind, DisplayName: e.DisplayName, CreditCode: e.CreditCode,
		IDNumber: model.MaskIDNumber(e.IDNumber), ContactName: e.ContactName, ContactPhone: model.MaskPhone(e.ContactPhone),
		AreaCode: e.AreaCode, AreaName: areaName(e.AreaCode), Address: e.Address, Status: e.Status, RejectReason: e.RejectReason,
		Rating: e.Rating(), RatingCount: e.RatingCount}
}

// ownEmployerResponse is the registration as its owner sees it: their own name in full, so that the form
// can show what is stored; staff lists never carry it (they open an identity on request, audited).
type ownEmployerResponse struct {
	employerResponse
	LegalName string `json:"legal_name" label:"个人雇主的姓名（只给本人看）"`
}

func ownEmployerJSON(e *model.EmployerView) ownEmployerResponse {
	return ownEmployerResponse{employerResponse: employerJSON(e), LegalName: e.LegalName}
}

func (a *API) saveEmployer(c *gin.Context) {
	var req employerRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	e, err := a.opts.Store.SaveEmployer(c.Request.Context(), currentUser(c).ID, model.EmployerInput{
		Kind: req.Kind, CompanyName: req.CompanyName, CreditCode: req.CreditCode, LegalName: req.LegalName,
		IDNumber: req.IDNumber, ContactName: req.ContactName, ContactPhone: req.ContactPhone,
		AreaCode: req.AreaCode, Address: req.Address})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ownEmployerJSON(e))
}

func (a *API) getEmployer(c *gin.Context) {
	e, err := a.opts.Store.EmployerOf(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ownEmployerJSON(e))
}
