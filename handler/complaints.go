package handler

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// maxPhotoBytes is the largest photo a complaint takes.
const maxPhotoBytes = 5 << 20

func (a *API) routesComplaints() {
	a.handle(http.MethodPost, "/api/v1/uploads", routeDoc{Summary: "上传照片（JPEG/PNG，≤5 MiB，表单字段 file）", Tag: "complaints",
		Auth: true, Response: uploadResponse{}, Status: http.StatusCreated, MaxBody: maxPhotoBytes + 64<<10, TooLarge: errPhotoTooLarge}, a.upload)
	a.handle(http.MethodGet, "/api/v1/uploads/:id", routeDoc{Summary: "查看照片（本人或本辖区工作人员）", Tag: "complaints",
		Auth: true}, a.download)
	a.handle(http.MethodPost, "/api/v1/complaints", routeDoc{Summary: "劳动维权投诉；微信内容检测随后在后台进行", Tag: "complaints",
		Auth: true, Request: complaintRequest{}, Response: complaintResponse{}, Status: http.StatusCreated}, a.fileComplaint)
	a.handle(http.MethodPut, "/api/v1/complaints/:id", routeDoc{Summary: "退回修改的投诉：改写经过，重新提交", Tag: "complaints",
		Auth: true, Request: reviseComplaintRequest{}, Response: complaintResponse{}}, a.reviseComplaint)
	a.handle(http.MethodGet, "/api/v1/complaints", routeDoc{Summary: "我的投诉", Tag: "complaints",
		Auth: true, Response: []complaintResponse{}}, a.myComplaints)
	a.handle(http.MethodGet, "/api/v1/complaints/:id", routeDoc{Summary: "投诉详情和办理进度", Tag: "complaints",
		Auth: true, Response: complaintResponse{}}, a.getComplaint)
	a.handle(http.MethodPost, "/api/v1/complaints/:id/satisfaction", routeDoc{Summary: "办结后评价满意度 1–5", Tag: "complaints",
		Auth: true, Request: satisfactionRequest{}, Response: complaintResponse{}}, a.rateComplaint)
	a.handle(http.MethodGet, "/api/v1/me/employer/complaints", routeDoc{Summary: "工作人员转给我的、涉及我的投诉", Tag: "complaints",
		Auth: true, Response: []complaintResponse{}}, a.employerComplaints)
	a.handle(http.MethodGet, "/api/v1/me/employer/complaints/:id", routeDoc{Summary: "涉及我的一条投诉", Tag: "complaints",
		Auth: true, Response: complaintResponse{}}, a.employerComplaint)

	staff := func(method, path string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "admin"
		a.handle(method, path, doc, a.staffOnly, h)
	}
	staff(http.MethodGet, "/api/v1/admin/complaints", routeDoc{Summary: "投诉（本辖区），超过3个工作日未受理的标为逾期",
		Query: complaintQuery{}, Response: []complaintResponse{}}, a.staffComplaints)
	staff(http.MethodGet, "/api/v1/admin/complaints/:id", routeDoc{Summary: "投诉详情", Response: complaintResponse{}}, a.staffComplaint)
	staff(http.MethodPost, "/api/v1/admin/complaints/:id/status", routeDoc{Summary: "办理：accepted / processing / resolved / rejected / closed，附说明",
		Request: moveComplaintRequest{}, Response: complaintResponse{}}, a.moveComplaint)
	staff(http.MethodPost, "/api/v1/admin/complaints/:id/share", routeDoc{Summary: "转给涉及的雇主查看",
		Response: complaintResponse{}}, a.shareComplaint)
}

type uploadResponse struct {
	ID          uint64 `json:"id"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

var (
	errNotAPhoto     = newError(http.StatusBadRequest, "not_a_photo", "只能上传照片（JPG 或 PNG）")
	errPhotoTooLarge = newError(http.StatusRequestEntityTooLarge, "photo_too_large", "照片太大了，请选一张小于5兆的")
)

// upload stores a photo under a name the server makes, after sniffing its type from its bytes: the
// client's file name and Content-Type are not believed.
func (a *API) upload(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			fail(c, errPhotoTooLarge)
			return
		}
		fail(c, fieldsError("file", "请选择一张照片"))
		return
	}
	up, err := a.storePhoto(c.Request.Context(), currentUser(c).ID, fh)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, uploadResponse{ID: up.ID, ContentType: up.ContentType, Size: up.Size})
}

// storePhoto keeps an uploaded photo for its owner: a JPEG or PNG by its bytes, at most maxPhotoBytes, within
// the owner's daily quota. The console's window service keeps its consent photos the same way.
func (a *API) storePhoto(ctx context.Context, ownerID uint64, fh *multipart.FileHeader) (*model.Upload, error) {
	if fh.Size > maxPhotoBytes {
		return nil, errPhotoTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	contentType := http.DetectContentType(head[:n])
	if contentType != "image/jpeg" && contentType != "image/png" {
		return nil, errNotAPhoto
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	name := model.NewUploadName(contentType)
	if err := writeFile(a.opts.UploadDir, name, f); err != nil {
		return nil, err
	}
	up, err := a.opts.Store.RecordUpload(ctx, ownerID, name, contentType, fh.Size)
	if err != nil {
		os.Remove(filepath.Join(a.opts.UploadDir, name))
		return nil, err
	}
	return up, nil
}

// writeFile writes a file whole or not at all: to a temporary name first, then renamed.
func writeFile(dir, name string, r io.Reader) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

func (a *API) download(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	up, err := a.opts.Store.UploadFor(c.Request.Context(), currentUser(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=86400")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Type", up.ContentType)
	c.File(filepath.Join(a.opts.UploadDir, filepath.Base(up.Name)))
}

type complaintRequest struct {
	Category      string   `json:"category" validate:"required,oneof=wage_arrears discrimination false_posting fees safety other" label:"欠薪 wage_arrears / 就业歧视 discrimination / 虚假招聘 false_posting / 收费押金 fees / 安全 safety / 其他 other"`
	GigID         *uint64  `json:"gig_id" label:"涉及的招工"`
	EmployerID    *uint64  `json:"employer_id" label:"涉及的雇主"`
	ApplicationID *uint64  `json:"application_id" label:"涉及的报名"`
	Description   string   `json:"description" validate:"required,max=2000" label:"情况说明"`
	Photos        []uint64 `json:"photos" validate:"max=6" label:"照片（先上传，再填 id）"`
	ShowIdentity  bool     `json:"show_identity_to_employer" label:"可以让雇主知道是我投诉的"`
}

type eventResponse struct {
	Status    string    `json:"status"`
	Note      string    `json:"note"`
	By        string    `json:"by" label:"complainant 本人 / staff 工作人员"`
	CreatedAt time.Time `json:"created_at"`
}

type complaintResponse struct {
	ID               uint64          `json:"id"`
	Category         string          `json:"category"`
	GigID            *uint64         `json:"gig_id"`
	EmployerID       *uint64         `json:"employer_id"`
	ApplicationID    *uint64         `json:"application_id"`
	Description      string          `json:"description"`
	Status           string          `json:"status" label:"submitted 已提交 / returned 退回修改（内容检测不允许，请改写经过） / accepted 已受理 / processing 办理中 / resolved 已解决 / rejected 不予受理 / closed 已结束"`
	RejectReason     string          `json:"reject_reason,omitempty" label:"不予受理的原因，或退回修改时要改什么"`
	Overdue          bool            `json:"overdue" label:"超过3个工作日未受理"`
	Satisfaction     *int            `json:"satisfaction"`
	SatisfactionNote string          `json:"satisfaction_note,omitempty"`
	ComplainantID    *uint64         `json:"complainant_id,omitempty" label:"雇主只在投诉人同意时看得到"`
	SecCheck         string          `json:"sec_check,omitempty" label:"微信内容安全检测（提交后在后台进行）：checking 检测中 / review 需人工看 / risky 不允许 / unchecked 没能检测（通过时不给）"`
	Photos           []uint64        `json:"photos,omitempty"`
	Timeline         []eventResponse `json:"timeline,omitempty"`
	Attendance       []complaintDay  `json:"attendance,omitempty" label:"欠薪投诉：这次报名的签到记录（不含位置）"`
	Owed             *owedResponse   `json:"owed,omitempty" label:"欠薪投诉：按签到算的应付工钱"`
	CreatedAt        time.Time       `json:"created_at"`
}

// complaintDay is one day of the worker's attendance, as evidence of a wage complaint.
type complaintDay struct {
	Day       string     `json:"day"`
	Method    string     `json:"method" label:"scan 扫码 / marked 雇主代记"`
	ArrivedAt time.Time  `json:"arrived_at"`
	LeftAt    *time.Time `json:"left_at"`
	Answer    string     `json:"answer,omitempty" label:"雇主代记时工人的回答：confirmed 对 / contested 不对"`
}

// complaintJSON renders a complaint; withComplainant is false for the employer when the complainant asked
// to stay anonymous.
func (a *API) complaintJSON(c *model.Complaint, v *model.ComplaintView, withComplainant bool) complaintResponse {
	out := complaintResponse{ID: c.ID, Category: c.Category, GigID: c.GigID, EmployerID: c.EmployerID,
		ApplicationID: c.ApplicationID, Description: c.Description, Status: c.Status, RejectReason: c.RejectReason,
		Overdue: c.Overdue(a.opts.Store.Now()), Satisfaction: c.Satisfaction, SatisfactionNote: c.SatisfactionNote,
		CreatedAt: c.CreatedAt}
	if c.SecCheck != model.SecPass {
		out.SecCheck = c.SecCheck
	}
	if withComplainant {
		out.ComplainantID = &c.ComplainantID
	}
	if v != nil {
		out.Photos = v.PhotoIDs
		out.Timeline = make([]eventResponse, len(v.Events))
		for i, e := range v.Events {
			out.Timeline[i] = eventResponse{Status: e.Status, Note: e.Note, By: e.ActorRole, CreatedAt: e.CreatedAt}
		}
		for _, d := range v.Attendance {
			out.Attendance = append(out.Attendance, complaintDay{Day: d.Day, Method: d.Method, ArrivedAt: d.ArrivedAt,
				LeftAt: d.LeftAt, Answer: d.Answer})
		}
		out.Owed = owedJSON(v.Owed)
	}
	return out
}

func (a *API) fileComplaint(c *gin.Context) {
	var req complaintRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cm, err := a.opts.Store.FileComplaint(ctx, currentUser(c).ID, model.ComplaintInput{Category: req.Category, GigID: req.GigID,
		EmployerID: req.EmployerID, ApplicationID: req.ApplicationID, Description: req.Description, PhotoIDs: req.Photos,
		ShowIdentity: req.ShowIdentity})
	if err != nil {
		fail(c, err)
		return
	}
	v, err := a.opts.Store.ComplaintFor(ctx, currentUser(c).ID, cm.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, a.complaintJSON(&v.Complaint, v, true))
}

type reviseComplaintRequest struct {
	Description string `json:"description" validate:"required,max=2000" label:"改写后的情况说明"`
}

func (a *API) reviseComplaint(c *gin.Context) {
	var req reviseComplaintRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, err := a.opts.Store.ReviseComplaint(c.Request.Context(), currentUser(c).ID, complaintPathID(c), req.Description)
	a.respondComplaint(c, v, err, true)
}

func (a *API) respondComplaints(c *gin.Context, list []model.Complaint, err error, withComplainant func(*model.Complaint) bool) {
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]complaintResponse, len(list))
	for i := range list {
		out[i] = a.complaintJSON(&list[i], nil, withComplainant(&list[i]))
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) respondComplaint(c *gin.Context, v *model.ComplaintView, err error, withComplainant bool) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a.complaintJSON(&v.Complaint, v, withComplainant))
}

func always(*model.Complaint) bool          { return true }
func ifAgreed(cm *model.Complaint) bool     { return cm.ShowIdentity }
func complaintPathID(c *gin.Context) uint64 { id, _ := pathID(c); return id }

func (a *API) myComplaints(c *gin.Context) {
	list, err := a.opts.Store.MyComplaints(c.Request.Context(), currentUser(c).ID)
	a.respondComplaints(c, list, err, always)
}

func (a *API) getComplaint(c *gin.Context) {
	v, err := a.opts.Store.ComplaintFor(c.Request.Context(), currentUser(c).ID, complaintPathID(c))
	a.respondComplaint(c, v, err, true)
}

type satisfactionRequest struct {
	Score   int    `json:"score" validate:"required,min=1,max=5"`
	Comment string `json:"comment" validate:"max=200"`
}

func (a *API) rateComplaint(c *gin.Context) {
	var req satisfactionRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, err := a.opts.Store.RateComplaint(c.Request.Context(), currentUser(c).ID, complaintPathID(c), req.Score, req.Comment)
	a.respondComplaint(c, v, err, true)
}

func (a *API) employerComplaints(c *gin.Context) {
	list, err := a.opts.Store.EmployerComplaints(c.Request.Context(), currentUser(c).ID)
	a.respondComplaints(c, list, err, ifAgreed)
}

func (a *API) employerComplaint(c *gin.Context) {
	v, err := a.opts.Store.ComplaintForEmployer(c.Request.Context(), currentUser(c).ID, complaintPathID(c))
	a.respondComplaint(c, v, err, err == nil && v.ShowIdentity)
}

type complaintQuery struct {
	Status  string `form:"status" validate:"omitempty,oneof=submitted returned accepted processing resolved rejected closed"`
	Overdue bool   `form:"overdue" label:"只看逾期未受理的"`
}

func (a *API) staffComplaints(c *gin.Context) {
	var q complaintQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	list, err := a.opts.Store.StaffComplaints(c.Request.Context(), staffScope(c), q.Status, q.Overdue)
	a.respondComplaints(c, list, err, always)
}

func (a *API) staffComplaint(c *gin.Context) {
	v, err := a.opts.Store.ComplaintForStaff(c.Request.Context(), staffScope(c), complaintPathID(c))
	a.respondComplaint(c, v, err, true)
}

type moveComplaintRequest struct {
	To   string `json:"to" validate:"required,oneof=accepted processing resolved rejected closed"`
	Note string `json:"note" validate:"max=500" label:"投诉人能看到的说明；不予受理时必填"`
}

func (a *API) moveComplaint(c *gin.Context) {
	var req moveComplaintRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, err := a.opts.Store.MoveComplaint(c.Request.Context(), staffScope(c), complaintPathID(c), req.To, req.Note)
	a.respondComplaint(c, v, err, true)
}

func (a *API) shareComplaint(c *gin.Context) {
	v, err := a.opts.Store.ShareComplaint(c.Request.Context(), staffScope(c), complaintPathID(c))
	a.respondComplaint(c, v, err, true)
}
