package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// TrainingStore is what the 培训 pages need from the model.
type TrainingStore interface {
	Categories(ctx context.Context) ([]model.Category, error)
	StaffTrainings(ctx context.Context, scope model.Scope, limit int) ([]model.TrainingWithSessions, error)
	TrainingForStaff(ctx context.Context, scope model.Scope, id uint64) (*model.TrainingWithSessions, error)
	CheckTraining(ctx context.Context, in model.TrainingInput) error
	SaveTraining(ctx context.Context, scope model.Scope, id uint64, in model.TrainingInput) (*model.TrainingWithSessions, error)
	SessionEnrollments(ctx context.Context, scope model.Scope, trainingID, sessionID uint64) ([]model.EnrolledWorker, error)
	MarkSession(ctx context.Context, scope model.Scope, trainingID, sessionID uint64, marks map[uint64]string) (int, error)
}

// 培训: the courses of the staff member's area (model.StaffTrainings), publishing one with its sessions
// (model.SaveTraining, as POST /api/v1/admin/trainings), each course's sign-ups per session
// (model.SessionEnrollments, as GET /admin/trainings/:id/enrollments) and a whole session's attendance and
// completion marked from one form (model.MarkSession: MarkEnrollment's rule per sign-up, in one transaction).

// sessionRows is how many session rows the publish form offers, and how many empty ones the edit form adds
// below a course's sessions; empty rows are left out. maxSessionRows bounds what a posted form may claim.
const (
	sessionRows    = 6
	maxSessionRows = 60
)

// trainingForm is the publish form as typed, kept to show again beside a refusal.
type trainingForm struct {
	Title, Kind, Provider, Description, Address, AreaCode string
	CategoryID, EmployerID, Lat, Lng, Deadline            string
	Subsidised                                            bool
	Sessions                                              []sessionForm
}

// sessionForm is one row of sessions; ID is set for a session the course has, which editing keeps.
type sessionForm struct{ ID, Date, Start, End, Seats string }

type trainingsBody struct {
	Rows []model.TrainingWithSessions
	Now  time.Time
}

// newTrainingBody is the publish form, or with ID the edit form of that course.
type newTrainingBody struct {
	ID         uint64
	Form       trainingForm
	Categories []model.Category
	Problem    *Problem
}

// trainingBody is a course's page; Session is the session whose sign-ups are shown, 0 for none.
type trainingBody struct {
	Training *model.TrainingWithSessions
	Session  uint64
	Roster   []model.EnrolledWorker
	// Signed counts the live sign-ups of each session (cancelled ones left out).
	Signed  map[uint64]int
	Done    string
	Problem *Problem
	// RefusedID is the sign-up whose mark was refused; nothing of the session was marked.
	RefusedID uint64
}

var trainingDone = map[string]string{
	"published": "已发布，工人在小程序“技能培训”里能看到并报名。",
	"saved":     "已保存修改，工人在小程序里看到的是新的内容；已报名的人名额不变。",
	"marked":    "这一场的出勤和结业已记好，结业的工人在小程序“我的技能”里能看到。",
}

func (con *Console) trainingsPage(c *gin.Context) {
	list, err := con.opts.Training.StaffTrainings(c.Request.Context(), scope(c), queueLimit)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "trainings", pageData{Title: "培训", Nav: "trainings", Body: trainingsBody{Rows: list, Now: con.opts.Now()}})
}

func (con *Console) newTrainingPage(c *gin.Context) {
	form := trainingForm{Kind: model.TrainingMenu, AreaCode: areaOf(scope(c)), Sessions: make([]sessionForm, sessionRows)}
	form.Sessions[0].Seats = "30"
	con.showNewTraining(c, http.StatusOK, newTrainingBody{Form: form})
}

func (con *Console) showNewTraining(c *gin.Context, status int, body newTrainingBody) {
	cats, err := con.opts.Training.Categories(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	body.Categories = cats
	title := "发布培训"
	if body.ID != 0 {
		title = "修改培训"
	}
	con.render(c, status, "training-new", pageData{Title: title, Nav: "trainings", Body: body})
}

// editTrainingPage is the publish form filled with a course as it is, its sessions with their numbers (kept
// when saved) and empty rows below for more.
func (con *Console) editTrainingPage(c *gin.Context) {
	t, err := con.opts.Training.TrainingForStaff(c.Request.Context(), scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	f := trainingForm{Title: t.Title, Kind: t.Kind, Provider: t.Provider, Description: t.Description, Address: t.Address,
		AreaCode: t.AreaCode, CategoryID: strconv.FormatUint(t.CategoryID, 10), Subsidised: t.Subsidised,
		Lat: strconv.FormatFloat(t.Lat, 'f', -1, 64), Lng: strconv.FormatFloat(t.Lng, 'f', -1, 64),
		Deadline: t.SignupDeadline.In(model.Shanghai).Format("2006-01-02T15:04")}
	if t.EmployerID != nil {
		f.EmployerID = strconv.FormatUint(*t.EmployerID, 10)
	}
	for _, s := range t.Sessions {
		f.Sessions = append(f.Sessions, sessionForm{ID: strconv.FormatUint(s.ID, 10), Date: s.Date, Start: s.StartTime,
			End: s.EndTime, Seats: strconv.Itoa(s.Seats)})
	}
	f.Sessions = append(f.Sessions, make([]sessionForm, sessionRows)...)
	con.showNewTraining(c, http.StatusOK, newTrainingBody{ID: t.ID, Form: f})
}

// publishTraining reads the form into model.TrainingInput and publishes a course, or with an id in the path
// saves that course (model.SaveTraining, as PUT /admin/trainings/:id: a session with sign-ups keeps them and
// cannot go below them); the model's rules decide, and their messages show beside the fields with what was
// typed kept.
func (con *Console) publishTraining(c *gin.Context) {
	ctx := c.Request.Context()
	var id uint64
	if c.Param("id") != "" {
		if id = pathID(c); id == 0 {
			con.fail(c, model.ErrNotFound)
			return
		}
	}
	form := readTrainingForm(c)
	in, unread := form.input()
	// Every field's trouble at once: the model's rules, and over them what the form could not read (a clearer
	// message than the model's for the zero value the field then holds).
	if err := con.opts.Training.CheckTraining(ctx, in); err != nil || len(unread) > 0 {
		p := Problem{Status: http.StatusBadRequest, Message: "有几项没填对，请看红字", Fields: map[string]string{}}
		if err != nil {
			if p = con.opts.Explain(err); p.Status >= 500 {
				con.fail(c, err)
				return
			}
			if p.Fields == nil {
				p.Fields = map[string]string{}
			}
		}
		for field, msg := range unread {
			p.Fields[field] = msg
		}
		con.showNewTraining(c, p.Status, newTrainingBody{ID: id, Form: form, Problem: &p})
		return
	}
	t, err := con.opts.Training.SaveTraining(ctx, scope(c), id, in)
	if err != nil {
		p := con.opts.Explain(err)
		if p.Status >= 500 {
			con.fail(c, err)
			return
		}
		con.showNewTraining(c, p.Status, newTrainingBody{ID: id, Form: form, Problem: &p})
		return
	}
	done := "published"
	if id != 0 {
		done = "saved"
	}
	tid := strconv.FormatUint(t.ID, 10)
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "trainings", tid, t.Title)
	c.Redirect(http.StatusSeeOther, "/console/trainings/"+tid+"?done="+done)
}

func readTrainingForm(c *gin.Context) trainingForm {
	f := trainingForm{Title: c.PostForm("title"), Kind: c.PostForm("kind"), Provider: c.PostForm("provider"),
		Description: c.PostForm("description"), Address: c.PostForm("address"), AreaCode: strings.TrimSpace(c.PostForm("area_code")),
		CategoryID: c.PostForm("category_id"), EmployerID: strings.TrimSpace(c.PostForm("employer_id")),
		Lat: strings.TrimSpace(c.PostForm("lat")), Lng: strings.TrimSpace(c.PostForm("lng")), Deadline: c.PostForm("signup_deadline"),
		Subsidised: c.PostForm("subsidised") == "1"}
	rows, err := strconv.Atoi(c.PostForm("session_rows"))
	if err != nil || rows < 1 {
		rows = sessionRows
	}
	f.Sessions = make([]sessionForm, min(rows, maxSessionRows))
	for i := range f.Sessions {
		n := strconv.Itoa(i)
		f.Sessions[i] = sessionForm{ID: strings.TrimSpace(c.PostForm("id" + n)), Date: c.PostForm("date" + n), Start: c.PostForm("start" + n),
			End: c.PostForm("end" + n), Seats: strings.TrimSpace(c.PostForm("seats" + n))}
	}
	return f
}

// input turns what was typed into the model's input; what cannot be read as a number or a time is named
// here, everything else is the model's to judge.
func (f trainingForm) input() (model.TrainingInput, map[string]string) {
	bad := map[string]string{}
	in := model.TrainingInput{Title: f.Title, Kind: f.Kind, Provider: f.Provider, Subsidised: f.Subsidised,
		Description: strings.TrimSpace(f.Description), Address: f.Address, AreaCode: f.AreaCode}
	in.CategoryID, _ = strconv.ParseUint(f.CategoryID, 10, 64)
	if f.Kind == model.TrainingOrder && f.EmployerID != "" {
		id, err := strconv.ParseUint(f.EmployerID, 10, 64)
		if err != nil {
			bad["employer_id"] = "用工单位编号是数字"
		}
		in.EmployerID = &id
	}
	var errLat, errLng error
	in.Lat, errLat = strconv.ParseFloat(f.Lat, 64)
	in.Lng, errLng = strconv.ParseFloat(f.Lng, 64)
	if errLat != nil || errLng != nil {
		bad["location"] = "纬度、经度写数字，如 31.86、117.28"
	}
	if f.Deadline != "" {
		d, err := time.ParseInLocation("2006-01-02T15:04", f.Deadline, model.Shanghai)
		if err != nil {
			bad["signup_deadline"] = "报名截止时间不对"
		}
		in.SignupDeadline = d
	}
	for _, s := range f.Sessions {
		if s.Date == "" && s.Start == "" && s.End == "" {
			continue
		}
		seats, err := strconv.Atoi(s.Seats)
		if err != nil {
			bad["sessions"] = "名额写数字"
		}
		// A kept session's number came from this page; the model checks that it is this course's.
		id, _ := strconv.ParseUint(s.ID, 10, 64)
		in.Sessions = append(in.Sessions, model.SessionInput{ID: id, Date: s.Date, StartTime: s.Start, EndTime: s.End, Seats: seats})
	}
	return in, bad
}

// areaOf is the staff member's area as a six-digit code, the publish form's default.
func areaOf(sc model.Scope) string {
	if sc.All {
		return ""
	}
	return sc.Prefix + strings.Repeat("0", max(0, 6-len(sc.Prefix)))
}

func (con *Console) trainingPage(c *gin.Context) {
	session, _ := strconv.ParseUint(c.Query("session"), 10, 64)
	con.showTraining(c, http.StatusOK, trainingBody{Session: session, Done: trainingDone[c.Query("done")]})
}

// showTraining draws a course with its sessions and, for the chosen session, its sign-ups and marks form.
func (con *Console) showTraining(c *gin.Context, status int, body trainingBody) {
	ctx := c.Request.Context()
	t, err := con.opts.Training.TrainingForStaff(ctx, scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	all, err := con.opts.Training.SessionEnrollments(ctx, scope(c), t.ID, 0)
	if err != nil {
		con.fail(c, err)
		return
	}
	body.Training, body.Signed = t, map[uint64]int{}
	for _, e := range all {
		if e.Status != model.EnrollCancelled {
			body.Signed[e.SessionID]++
		}
		if e.SessionID == body.Session {
			body.Roster = append(body.Roster, e)
		}
	}
	con.render(c, status, "training", pageData{Title: t.Title, Nav: "trainings", Body: body})
}

// restFrom is what a "the rest" button moves: the sign-ups left as they were on the form, forward only, so a
// worker marked absent is never made attended or completed by it.
var restFrom = map[string][]string{
	model.EnrollAttended:  {model.EnrollActive},
	model.EnrollCompleted: {model.EnrollActive, model.EnrollAttended},
}

// markSession reads one mark per sign-up (mark-<id>); with a "rest" button, the sign-ups left as they were
// take its mark (restFrom); then the session is marked in one go.
func (con *Console) markSession(c *gin.Context) {
	ctx := c.Request.Context()
	trainingID := pathID(c)
	sessionID, _ := strconv.ParseUint(c.Param("session"), 10, 64)
	marks := map[uint64]string{}
	if err := c.Request.ParseForm(); err != nil {
		con.fail(c, err)
		return
	}
	for key, v := range c.Request.PostForm {
		if id, err := strconv.ParseUint(strings.TrimPrefix(key, "mark-"), 10, 64); err == nil && strings.HasPrefix(key, "mark-") && len(v) > 0 {
			marks[id] = v[0]
		}
	}
	if rest := c.PostForm("rest"); rest != "" {
		roster, err := con.opts.Training.SessionEnrollments(ctx, scope(c), trainingID, sessionID)
		if err != nil {
			con.fail(c, err)
			return
		}
		for _, e := range roster {
			if m, ok := marks[e.ID]; (!ok || m == e.Status) && slices.Contains(restFrom[rest], e.Status) {
				marks[e.ID] = rest
			}
		}
	}
	n, err := con.opts.Training.MarkSession(ctx, scope(c), trainingID, sessionID, marks)
	if err != nil {
		p := con.opts.Explain(err)
		var refused *model.MarkRefused
		if p.Status >= 500 || (errors.Is(err, model.ErrNotFound) && !errors.As(err, &refused)) {
			con.fail(c, err)
			return
		}
		body := trainingBody{Session: sessionID, Problem: &p}
		if errors.As(err, &refused) {
			body.RefusedID = refused.EnrollmentID
		}
		if errors.Is(err, model.ErrConflictOfInterest) {
			con.audit(c, session(c), "refused (conflict of interest) "+c.Request.Method+" "+c.FullPath(), "trainings", c.Param("id"), "")
		}
		con.showTraining(c, p.Status, body)
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "trainings", c.Param("id"),
		fmt.Sprintf("session %d: %d marked", sessionID, n))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/trainings/%d?session=%d&done=marked#roster", trainingID, sessionID))
}

// Words for the templates.

func kindWord(kind string) string {
	if kind == model.TrainingOrder {
		return "订单式"
	}
	return "菜单式"
}

func enrollWord(status string) string {
	if w, ok := map[string]string{model.EnrollActive: "已报名", model.EnrollCancelled: "已取消", model.EnrollAttended: "已到课",
		model.EnrollAbsent: "缺课", model.EnrollCompleted: "已结业"}[status]; ok {
		return w
	}
	return status
}

// markable: a cancelled sign-up is never marked, and completion is final.
func markable(status string) bool {
	return status != model.EnrollCancelled && status != model.EnrollCompleted
}
