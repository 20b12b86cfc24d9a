package handler

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesTraining() {
	a.handle(http.MethodGet, "/api/v1/trainings", routeDoc{Summary: "技能培训（可按工种、类型、是否还能报名、离我远近）", Tag: "training",
		Query: trainingQuery{}, Response: []trainingResponse{}}, a.listTrainings)
	a.handle(http.MethodGet, "/api/v1/trainings/:id", routeDoc{Summary: "培训详情，含每个上课时间的剩余名额", Tag: "training",
		Response: trainingResponse{}}, a.getTraining)
	a.handle(http.MethodPost, "/api/v1/trainings/:id/enrollments", routeDoc{Summary: "报名培训，自己挑上课时间", Tag: "training",
		Auth: true, Request: enrollRequest{}, Response: enrollmentResponse{}, Status: http.StatusCreated}, a.enroll)
	a.handle(http.MethodDelete, "/api/v1/enrollments/:id", routeDoc{Summary: "取消培训报名", Tag: "training",
		Auth: true, Response: enrollmentResponse{}}, a.cancelEnrollment)
	a.handle(http.MethodGet, "/api/v1/me/enrollments", routeDoc{Summary: "我的培训", Tag: "training",
		Auth: true, Response: []myEnrollmentResponse{}}, a.myEnrollments)

	staff := func(method, path string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "admin"
		a.handle(method, path, doc, a.staffOnly, h)
	}
	staff(http.MethodPost, "/api/v1/admin/trainings", routeDoc{Summary: "发布培训（本辖区）", Request: trainingRequest{},
		Response: trainingResponse{}, Status: http.StatusCreated}, a.saveTraining)
	staff(http.MethodPut, "/api/v1/admin/trainings/:id", routeDoc{Summary: "修改培训（已有人报名的时间不能删）", Request: trainingRequest{},
		Response: trainingResponse{}}, a.saveTraining)
	staff(http.MethodGet, "/api/v1/admin/trainings/:id/enrollments", routeDoc{Summary: "培训报名名单（可按上课时间）",
		Query: enrollmentListQuery{}, Response: []enrolledResponse{}}, a.trainingEnrollments)
	staff(http.MethodPost, "/api/v1/admin/enrollments/:id/mark", routeDoc{Summary: "登记出勤或结业：attended / absent / completed",
		Request: markRequest{}, Response: enrollmentResponse{}}, a.markEnrollment)
}

type sessionJSON struct {
	ID        uint64 `json:"id" label:"修改时带上以保留这个时间"`
	Date      string `json:"date" validate:"required,len=10" label:"2026-12-01"`
	StartTime string `json:"start_time" validate:"required,len=5" label:"09:00"`
	EndTime   string `json:"end_time" validate:"required,len=5" label:"11:30"`
	Seats     int    `json:"seats" validate:"required,min=1,max=1000" label:"名额"`
	SeatsLeft int    `json:"seats_left" label:"剩余名额（返回时）"`
}

type trainingRequest struct {
	Title          string          `json:"title" validate:"required,max=40" label:"课程名称"`
	CategoryID     uint64          `json:"category_id" validate:"required" label:"工种 id"`
	Kind           string          `json:"kind" validate:"required,oneof=order menu" label:"order 订单式 / menu 菜单式"`
	Provider       string          `json:"provider" validate:"required,max=64" label:"培训机构"`
	Subsidised     bool            `json:"subsidised" label:"有补贴"`
	Description    string          `json:"description" validate:"max=2000"`
	Address        string          `json:"address" validate:"required,max=120" label:"上课地点"`
	Location       locationRequest `json:"location"`
	AreaCode       string          `json:"area_code" validate:"required,len=6,numeric"`
	EmployerID     *uint64         `json:"employer_id" label:"订单式培训的用工单位"`
	SignupDeadline time.Time       `json:"signup_deadline" validate:"required" label:"报名截止时间（RFC 3339）"`
	Sessions       []sessionJSON   `json:"sessions" validate:"required,min=1,max=50,dive"`
}

type trainingResponse struct {
	ID             uint64        `json:"id"`
	Title          string        `json:"title"`
	Category       string        `json:"category"`
	CategoryID     uint64        `json:"category_id"`
	Kind           string        `json:"kind"`
	Provider       string        `json:"provider"`
	Subsidised     bool          `json:"subsidised"`
	Description    string        `json:"description"`
	Address        string        `json:"address"`
	Lat            float64       `json:"lat"`
	Lng            float64       `json:"lng"`
	AreaCode       string        `json:"area_code"`
	SignupDeadline time.Time     `json:"signup_deadline"`
	SignupOpen     bool          `json:"signup_open"`
	Sessions       []sessionJSON `json:"sessions"`
}

func (a *API) trainingJSON(t *model.TrainingWithSessions) trainingResponse {
	sessions := make([]sessionJSON, len(t.Sessions))
	for i, s := range t.Sessions {
		sessions[i] = sessionJSON{ID: s.ID, Date: s.Date, StartTime: s.StartTime, EndTime: s.EndTime, Seats: s.Seats, SeatsLeft: s.SeatsLeft()}
	}
	return trainingResponse{ID: t.ID, Title: t.Title, Category: t.CategoryName, CategoryID: t.CategoryID, Kind: t.Kind,
		Provider: t.Provider, Subsidised: t.Subsidised, Description: t.Description, Address: t.Address, Lat: t.Lat, Lng: t.Lng,
		AreaCode: t.AreaCode, SignupDeadline: t.SignupDeadline, SignupOpen: a.opts.Store.Now().Before(t.SignupDeadline),
		Sessions: sessions}
}

func (a *API) saveTraining(c *gin.Context) {
	id, err := optionalID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req trainingRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in := model.TrainingInput{Title: req.Title, CategoryID: req.CategoryID, Kind: req.Kind, Provider: req.Provider,
		Subsidised: req.Subsidised, Description: req.Description, Address: req.Address, Lat: req.Location.Lat,
		Lng: req.Location.Lng, AreaCode: req.AreaCode, EmployerID: req.EmployerID, SignupDeadline: req.SignupDeadline}
	for _, s := range req.Sessions {
		in.Sessions = append(in.Sessions, model.SessionInput{ID: s.ID, Date: s.Date, StartTime: s.StartTime, EndTime: s.EndTime, Seats: s.Seats})
	}
	t, err := a.opts.Store.SaveTraining(c.Request.Context(), staffScope(c), id, in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(savedStatus(id), a.trainingJSON(t))
}

type trainingQuery struct {
	Occupation uint64  `form:"occupation" label:"工种 id"`
	Kind       string  `form:"kind" validate:"omitempty,oneof=order menu"`
	Upcoming   bool    `form:"upcoming" label:"只看还能报名的"`
	Lat        float64 `form:"lat" validate:"omitempty,latitude" label:"给出位置时近的在前"`
	Lng        float64 `form:"lng" validate:"omitempty,longitude"`
}

func (a *API) listTrainings(c *gin.Context) {
	var q trainingQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	mq := model.TrainingQuery{CategoryID: q.Occupation, Kind: q.Kind, Upcoming: q.Upcoming, Limit: 100}
	if q.Lat != 0 && q.Lng != 0 {
		mq.Near = &model.Place{Lat: q.Lat, Lng: q.Lng}
	}
	list, err := a.opts.Store.Trainings(c.Request.Context(), mq)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]trainingResponse, len(list))
	for i := range list {
		out[i] = a.trainingJSON(&list[i])
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) getTraining(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	t, err := a.opts.Store.Training(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a.trainingJSON(t))
}

type enrollRequest struct {
	SessionID uint64 `json:"session_id" validate:"required" label:"挑的上课时间 id"`
}

type enrollmentResponse struct {
	ID         uint64 `json:"id"`
	TrainingID uint64 `json:"training_id"`
	SessionID  uint64 `json:"session_id"`
	Status     string `json:"status" label:"active 已报名 / cancelled / attended 已到课 / absent 缺课 / completed 已结业"`
}

func enrollmentJSON(e *model.Enrollment) enrollmentResponse {
	return enrollmentResponse{ID: e.ID, TrainingID: e.TrainingID, SessionID: e.SessionID, Status: e.Status}
}

func (a *API) enroll(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req enrollRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	e, err := a.opts.Store.Enroll(c.Request.Context(), currentUser(c).ID, id, req.SessionID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, enrollmentJSON(e))
}

func (a *API) cancelEnrollment(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	e, err := a.opts.Store.CancelEnrollment(c.Request.Context(), currentUser(c).ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, enrollmentJSON(e))
}

type myEnrollmentResponse struct {
	enrollmentResponse
	Training trainingResponse `json:"training"`
	Session  sessionJSON      `json:"session"`
}

func (a *API) myEnrollments(c *gin.Context) {
	list, err := a.opts.Store.WorkerEnrollments(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]myEnrollmentResponse, len(list))
	for i := range list {
		s := list[i].Session
		out[i] = myEnrollmentResponse{enrollmentResponse: enrollmentJSON(&list[i].Enrollment), Training: a.trainingJSON(&list[i].Training),
			Session: sessionJSON{ID: s.ID, Date: s.Date, StartTime: s.StartTime, EndTime: s.EndTime, Seats: s.Seats, SeatsLeft: s.SeatsLeft()}}
	}
	c.JSON(http.StatusOK, out)
}

type enrollmentListQuery struct {
	SessionID uint64 `form:"session_id" label:"只看这个上课时间"`
}

type enrolledResponse struct {
	enrollmentResponse
	Name  string `json:"name"`
	Phone string `json:"phone" label:"打码的手机号"`
}

func (a *API) trainingEnrollments(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var q enrollmentListQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	list, err := a.opts.Store.SessionEnrollments(c.Request.Context(), staffScope(c), id, q.SessionID)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]enrolledResponse, len(list))
	for i := range list {
		out[i] = enrolledResponse{enrollmentResponse: enrollmentJSON(&list[i].Enrollment), Name: list[i].Name,
			Phone: model.MaskPhone(list[i].Phone)}
	}
	c.JSON(http.StatusOK, out)
}

type markRequest struct {
	Status string `json:"status" validate:"required,oneof=attended absent completed"`
}

func (a *API) markEnrollment(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req markRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	e, err := a.opts.Store.MarkEnrollment(c.Request.Context(), staffScope(c), id, req.Status)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, enrollmentJSON(e))
}
