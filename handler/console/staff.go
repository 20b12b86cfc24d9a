package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// StaffStore is what the 人员 page (admins) needs from the model.
type StaffStore interface {
	StaffMembers(ctx context.Context) ([]model.StaffMember, error)
	AddStaff(ctx context.Context, adminID, userID uint64, name, areaCode string, marketID *uint64) error
	DisableStaff(ctx context.Context, userID uint64) error
	Market(ctx context.Context, id uint64) (*model.Market, error)
}

// 人员 (admins only): the staff list (model.StaffMembers, as GET /api/v1/admin/staff), making a user staff of
// an area or a market (model.AddStaff, as POST /api/v1/admin/staff) and disabling a staff member
// (model.DisableStaff, as DELETE /api/v1/admin/staff/:id, which also ends their console sessions). Each
// change goes through a confirm page whose form carries the form token, and is audited.

// staffForm is the making-staff form as typed, kept to fill the form again.
type staffForm struct {
	UserID, Name, AreaCode, MarketID string
}

type staffBody struct {
	Members []model.StaffMember
	// Names are the members' names by user number, for who made whom staff.
	Names map[uint64]string
	Form  staffForm
	// Fields and Message are the refusal beside the form.
	Fields  map[string]string
	Message string
	Done    string
}

var staffDone = map[string]string{
	"added":    "已设为工作人员，对方现在可以扫码登录工作台。",
	"disabled": "已停用。对方打开着的工作台在下一次操作时退出。",
}

func staffFormOf(c *gin.Context, get func(string) string) staffForm {
	return staffForm{UserID: strings.TrimSpace(get("user_id")), Name: strings.TrimSpace(get("name")), AreaCode: strings.TrimSpace(get("area_code")),
		MarketID: strings.TrimSpace(get("market_id"))}
}

// parse reads the form, or says beside which field what is wrong; the area or market itself is the
// model's to check, as for the API.
func (f staffForm) parse() (userID uint64, area string, market *uint64, bad map[string]string) {
	bad = map[string]string{}
	userID, err := strconv.ParseUint(f.UserID, 10, 64)
	if err != nil || userID == 0 {
		bad["user_id"] = "请填用户编号（数字，对方在小程序“我的”里能看到）"
	}
	var invalid *model.InvalidInput
	if errors.As(model.CheckStaffName(f.Name), &invalid) {
		for _, fe := range invalid.Fields {
			bad[fe.Field] = fe.Message
		}
	}
	if f.MarketID != "" {
		id, err := strconv.ParseUint(f.MarketID, 10, 64)
		if err != nil || id == 0 {
			bad["market_id"] = "零工市场编号要填数字"
		}
		market = &id
	} else if _, ok := model.LookupArea(f.AreaCode); !ok {
		bad["area_code"] = "请填辖区代码（6位，如 340100 合肥市），或者填零工市场编号"
	}
	return userID, f.AreaCode, market, bad
}

func (con *Console) staffPage(c *gin.Context) {
	con.showStaff(c, http.StatusOK, staffBody{Done: staffDone[c.Query("done")]})
}

func (con *Console) showStaff(c *gin.Context, status int, body staffBody) {
	list, err := con.opts.Staff.StaffMembers(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	body.Members, body.Names = list, map[uint64]string{}
	for _, m := range list {
		body.Names[m.UserID] = m.Name
	}
	con.render(c, status, "staff", pageData{Title: "人员", Nav: "staff", Body: body})
}

// confirmAdd shows who becomes staff of what before anything changes.
func (con *Console) confirmAdd(c *gin.Context) {
	f := staffFormOf(c, c.Query)
	userID, area, market, bad := f.parse()
	if len(bad) > 0 {
		con.showStaff(c, http.StatusBadRequest, staffBody{Form: f, Fields: bad})
		return
	}
	where := areaName(area)
	if market != nil {
		m, err := con.opts.Staff.Market(c.Request.Context(), *market)
		if err != nil {
			con.refusedAdd(c, f, err)
			return
		}
		where = m.Name + "（" + areaName(m.AreaCode) + "）"
	}
	con.render(c, http.StatusOK, "confirm", pageData{Title: "设为工作人员", Nav: "staff", Body: confirmBody{
		Heading:     "把这个用户设为工作人员？",
		Facts:       [][2]string{{"用户编号", fmt.Sprint(userID)}, {"姓名", f.Name}, {"辖区", where}},
		Consequence: "设好后，对方能扫码登录工作台，审核、处理投诉、培训和保险，只限这个辖区；每一步都记入审计日志。已停用的人再设一次即恢复。",
		Action:      "/console/staff/add", Hidden: [][2]string{{"user_id", f.UserID}, {"name", f.Name}, {"area_code", f.AreaCode}, {"market_id", f.MarketID}},
		Button: "确认设为工作人员", Back: "/console/staff"}})
}

func (con *Console) addStaff(c *gin.Context) {
	f := staffFormOf(c, c.PostForm)
	userID, area, market, bad := f.parse()
	if len(bad) > 0 {
		con.showStaff(c, http.StatusBadRequest, staffBody{Form: f, Fields: bad})
		return
	}
	sess := session(c)
	if err := con.opts.Staff.AddStaff(c.Request.Context(), sess.UserID, userID, f.Name, area, market); err != nil {
		con.refusedAdd(c, f, err)
		return
	}
	con.audit(c, sess, c.Request.Method+" "+c.FullPath(), "users", f.UserID, "area "+f.AreaCode+" market "+f.MarketID)
	c.Redirect(http.StatusSeeOther, "/console/staff?done=added")
}

// refusedAdd shows the list again with the refusal beside the form; a server fault is a plain 5xx.
func (con *Console) refusedAdd(c *gin.Context, f staffForm, err error) {
	p := con.opts.Explain(err)
	if p.Status >= 500 {
		con.fail(c, err)
		return
	}
	body := staffBody{Form: f, Fields: p.Fields, Message: p.Message}
	if errors.Is(err, model.ErrNotFound) && len(p.Fields) == 0 {
		// AddStaff finds no user with that number.
		body.Fields, body.Message = map[string]string{"user_id": "没有这个用户（对方要先登录过小程序）"}, ""
	}
	con.showStaff(c, p.Status, body)
}

// member is the live staff member the address names; a disabled or unknown one is not found.
func (con *Console) member(c *gin.Context) (*model.StaffMember, error) {
	list, err := con.opts.Staff.StaffMembers(c.Request.Context())
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].UserID == pathID(c) && list[i].DisabledAt == nil {
			return &list[i], nil
		}
	}
	return nil, model.ErrNotFound
}

func (con *Console) confirmDisable(c *gin.Context) {
	m, err := con.member(c)
	if err != nil {
		con.fail(c, err)
		return
	}
	where := areaName(m.AreaCode)
	if m.MarketID != nil {
		where += fmt.Sprintf(" · 零工市场 %d", *m.MarketID)
	}
	con.render(c, http.StatusOK, "confirm", pageData{Title: "停用工作人员", Nav: "staff", Body: confirmBody{
		Heading:     "停用这位工作人员？",
		Facts:       [][2]string{{"用户编号", fmt.Sprint(m.UserID)}, {"辖区", where}, {"设置时间", clock(m.CreatedAt)}},
		Consequence: "停用后对方立即不能再做工作人员的事；打开着的工作台在下一次操作时退出。以后可以重新设为工作人员。",
		Action:      c.Request.URL.Path, Button: "确认停用", Back: "/console/staff"}})
}

func (con *Console) disableStaff(c *gin.Context) {
	if err := con.opts.Staff.DisableStaff(c.Request.Context(), pathID(c)); err != nil {
		con.fail(c, err)
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "users", c.Param("id"), "")
	c.Redirect(http.StatusSeeOther, "/console/staff?done=disabled")
}
