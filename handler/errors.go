package handler

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/handler/console"
	"lingong/handler/wechat"
	"lingong/model"
)

// apiError is every error a client sees: a real HTTP status, a stable code the mini-program can branch on,
// and a message in plain Chinese that says what to do next.
type apiError struct {
	Status  int          `json:"-"`
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []fieldError `json:"fields,omitempty"`
}

func (e *apiError) Error() string { return e.Code }

// fieldError names one field of the request that is wrong and why.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	RequestID string       `json:"request_id"`
	Fields    []fieldError `json:"fields,omitempty"`
}

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// Errors answered by the handlers themselves.
var (
	errTokenMissing  = newError(http.StatusUnauthorized, "token_missing", "请先登录")
	errTokenInvalid  = newError(http.StatusUnauthorized, "token_invalid", "登录已失效，请重新进入小程序")
	errTokenExpired  = newError(http.StatusUnauthorized, "token_expired", "登录已过期，请重新进入小程序")
	errRateLimited   = newError(http.StatusTooManyRequests, "rate_limited", "操作太频繁了，请过几分钟再试")
	errBodyTooLarge  = newError(http.StatusRequestEntityTooLarge, "body_too_large", "提交的内容太大了，请删减后再试")
	errInvalidJSON   = newError(http.StatusBadRequest, "invalid_json", "提交的内容格式不对，请重试")
	errUnknownRoute  = newError(http.StatusNotFound, "not_found", "没有这个页面")
	errWrongMethod   = newError(http.StatusMethodNotAllowed, "method_not_allowed", "不支持这个操作")
	errInternal      = newError(http.StatusInternalServerError, "internal", "服务器出了点问题，请稍后再试。如果一直不行，请把页面下方的编号告诉工作人员")
	errServiceClosed = newError(http.StatusServiceUnavailable, "db_unavailable", "系统正在维护，请过几分钟再试")
)

// modelErrors maps the model's errors, in one table. The first match wins, so specific errors come first.
var modelErrors = []struct {
	err error
	api *apiError
}{
	{model.ErrNotFound, newError(http.StatusNotFound, "not_found", "没有找到这条信息")},
	{model.ErrNotStaff, newError(http.StatusNotFound, "not_found", "没有找到这条信息")},
	{model.ErrProfileMissing, newError(http.StatusNotFound, "profile_missing", "您还没有登记，请先填写登记信息")},
	{model.ErrIDNumberTaken, newError(http.StatusConflict, "id_number_taken", "这个身份证号已经在别的微信上登记过了，请联系工作人员")},
	{model.ErrEmployerNotVerified, newError(http.StatusForbidden, "employer_not_verified", "您的招工登记还在审核中，审核通过后才能发布招工")},
	{model.ErrEmployerSuspended, newError(http.StatusForbidden, "employer_suspended", "雇主的招工资格已被零工市场暂停（原因见通知），恢复前不能发布或修改招工")},
	{model.ErrGigNotEditable, newError(http.StatusConflict, "gig_not_editable", "这条招工已经结束，不能再修改")},
	{model.ErrHeadcountBelow, newError(http.StatusConflict, "headcount_below_confirmed", "招工人数不能少于已经录用的人数")},
	{model.ErrGigFull, newError(http.StatusConflict, "gig_full", "人已经招满了，看看别的活吧")},
	{model.ErrGigNotOpen, newError(http.StatusConflict, "gig_closed", "这个活已经结束了，看看别的活吧")},
	{model.ErrGigPaused, newError(http.StatusConflict, "gig_paused", "这个活暂停了，恢复后会通知您；先看看别的活吧")},
	{model.ErrAlreadyApplied, newError(http.StatusConflict, "already_applied", "您已经报过名了，请在“我的报名”里查看")},
	{model.ErrOwnGig, newError(http.StatusConflict, "own_gig", "不能报名自己发布的活")},
	{model.ErrWrongState, newError(http.StatusConflict, "wrong_state", "状态已经变了，请刷新后再看")},
	{model.ErrAlreadyRated, newError(http.StatusConflict, "already_rated", "您已经评价过了")},
	{model.ErrWorkNotStarted, newError(http.StatusConflict, "work_not_started", "还没到开工日期，不能确认完工")},
	{model.ErrPaymentInvalid, fieldsError("amount_paid_cents", "请填写实际付的工钱")},
	{model.ErrRatingInvalid, fieldsError("score", "请打1到5颗星，评语最多100个字")},
	{model.ErrDiscriminatory, newError(http.StatusConflict, "discriminatory_content", "招工内容有歧视性要求，不能通过，请驳回让雇主修改")},
	{model.ErrReasonRequired, fieldsError("reason", "驳回时请写明原因（200字以内）")},
	{model.ErrOverrideReason, fieldsError("override_reason", "请写明为什么这不是歧视（10到200字）")},
	{model.ErrActionReason, fieldsError("reason", "请写明原因（200字以内），雇主会看到")},
	{model.ErrAlreadyDecided, newError(http.StatusConflict, "already_decided", "已经审核过了，请刷新")},
	{model.ErrUploadQuota, newError(http.StatusTooManyRequests, "upload_quota", "今天传的照片太多了，请明天再传；急用请到零工市场窗口找工作人员")},
	{model.ErrWithdrawLimit, newError(http.StatusTooManyRequests, "withdraw_limit", "今天退掉的活太多了，这个活先留着；确实去不了，请直接给雇主打电话说明")},
	{model.ErrClaimOutcome, fieldsError("keep", "请选择谁持有这个身份证号")},
	{model.ErrClaimStale, newError(http.StatusConflict, "claim_stale", "这个人已经改了身份证号，这件事不用再处理了，请刷新")},
	{model.ErrConflictOfInterest, newError(http.StatusConflict, "conflict_of_interest", "这是您自己或您代办的人的事，请交给本辖区其他工作人员或上级办理")},
	{model.ErrSignupClosed, newError(http.StatusConflict, "signup_closed", "报名已经截止了，看看别的培训吧")},
	{model.ErrSessionFull, newError(http.StatusConflict, "session_full", "这个时间的名额满了，请换一个上课时间")},
	{model.ErrAlreadyEnrolled, newError(http.StatusConflict, "already_enrolled", "您已经报过这门课了，请在“我的培训”里查看")},
	{model.ErrSeatsTaken, newError(http.StatusConflict, "session_has_signups", "这个上课时间已经有人报名，不能删掉或减少到比报名人数还少")},
	{model.ErrAlreadyInsured, newError(http.StatusConflict, "already_insured", "这几天已经有这份保险了，不用重复买")},
	{model.ErrAgeNotCovered, newError(http.StatusConflict, "age_not_covered", "您的年龄不在这份保险的投保范围内，请换一份")},
	{model.ErrNeedsIdentity, newError(http.StatusConflict, "identity_required", "投保要先完成实名登记（姓名和身份证号）")},
	{model.ErrAlreadySurveyed, newError(http.StatusConflict, "already_rated", "您已经评价过了")},
	{model.ErrPushRateLimited, errPushRateLimited},
	{model.ErrNotWalkIn, newError(http.StatusConflict, "not_walk_in", "这位求职者自己用小程序，不需要绑定码")},
	{model.ErrBindingCodeWrong, newError(http.StatusBadRequest, "binding_code_wrong", "认领号或绑定码不对，请对照纸条再输一次（最多试5次）")},
	{model.ErrBindingCodeLocked, newError(http.StatusConflict, "binding_code_locked", "试错太多次了，请到零工市场找工作人员重新领一个绑定码")},
	{model.ErrBindingCodeExpired, newError(http.StatusConflict, "binding_code_expired", "绑定码已过期或已用过，请到零工市场重新领一个")},
	{model.ErrAlreadyRegistered, newError(http.StatusConflict, "already_registered", "这个微信已经登记过了，不能再绑定别人的登记信息")},
	{model.ErrInviteInvalid, newError(http.StatusBadRequest, "invite_invalid", "邀请码不对或已过期，请让家人重新生成一个")},
	{model.ErrSelfDelegate, newError(http.StatusBadRequest, "self_delegate", "不能自己代办自己，请把邀请码给家人")},
	{model.ErrBadCursor, fieldsError("cursor", "翻页信息过期了，请下拉刷新")},
	{model.ErrTokenReused, newError(http.StatusUnauthorized, "token_reused", "账号在别处登录过，为了安全请重新进入小程序")},
	{model.ErrTokenInvalid, errTokenInvalid},
	{model.ErrUserDisabled, newError(http.StatusForbidden, "user_disabled", "账号已停用，请联系零工市场工作人员")},
	{model.ErrSMSStoppedByReply, newError(http.StatusConflict, "sms_stopped_by_reply", "您回复了“退订”，提醒短信已经停了。还想收短信，请重新点“同意用短信告诉我”，再点保存")},
	{model.ErrSMSConsentStale, newError(http.StatusConflict, "sms_consent_stale", "收短信的设置刚变过（比如换了手机号），短信现在是关着的。还想收短信，请重新点“同意用短信告诉我”，再点保存")},
	{model.ErrPhoneTaken, newError(http.StatusConflict, "phone_taken", "这个手机号已绑定了别的微信，请联系工作人员处理")},
	{model.ErrTicketExpired, newError(http.StatusConflict, "ticket_expired", "二维码已过期，请在电脑上刷新二维码再扫")},
	{model.ErrTicketUsed, newError(http.StatusConflict, "ticket_used", "这个二维码已经用过了，请在电脑上刷新二维码再扫")},
	{model.ErrCodeInvalid, newError(http.StatusBadRequest, "attendance_code_invalid", "这不是这个活的签到码，请扫雇主手机上这个活的签到码")},
	{model.ErrCodeExpired, newError(http.StatusConflict, "attendance_code_expired", "二维码过期了，请雇主刷新后再扫")},
	{model.ErrNotTakenOn, newError(http.StatusForbidden, "not_taken_on", "您没有被这个活录用，不能签到。请找雇主问一下")},
	{model.ErrNotWorkDay, newError(http.StatusConflict, "not_work_day", "今天不是这个活干活的日子")},
	{model.ErrAlreadyArrived, newError(http.StatusConflict, "already_arrived", "已经签到过了，收工时再扫一次")},
	{model.ErrAlreadyLeft, newError(http.StatusConflict, "already_left", "今天已经签过收工了")},
	{model.ErrOwnMark, newError(http.StatusConflict, "own_mark", "这是您记的到岗，要由工人本人或他的其他家人确认")},
	{model.ErrMarkTimeInvalid, fieldsError("arrived_at", "到岗时间要在那一天里，并且不能晚于现在")},
	{model.ErrNoteTooLong, fieldsError("note", "说明最多写200个字")},
	{model.ErrCorrectionOpen, newError(http.StatusConflict, "correction_open", "这一条已经申请更正了，工作人员处理后会通知您")},
	{model.ErrAlreadyCorrected, newError(http.StatusConflict, "already_corrected", "这一条已经更正过了，不再计数")},
	{model.ErrCorrectionReason, fieldsError("reason", "请写明哪里不对，2到200个字")},
	{model.ErrCorrectionNote, fieldsError("note", "不同意时请写明原因（200字以内），申请人会看到")},
	{console.ErrCrossSite, newError(http.StatusForbidden, "cross_site", "这个提交不是从工作台页面发出的，已拒绝。请打开工作台重新操作")},
	{console.ErrFormExpired, newError(http.StatusForbidden, "form_expired", "页面已过期，请刷新页面后再提交")},
	{console.ErrOutsideOffice, newError(http.StatusForbidden, "outside_office", "工作台只能在零工市场的办公电脑上打开")},
	{console.ErrTooManyCodes, newError(http.StatusTooManyRequests, "rate_limited", "登录码刷新得太频繁了，请过几分钟再刷新这个页面")},
	{model.ErrConflict, newError(http.StatusConflict, "conflict", "信息已经存在，请刷新后再看")},
	{model.ErrDatabaseDown, errServiceClosed},
	{wechat.ErrBadCode, newError(http.StatusBadRequest, "wechat_code_invalid", "微信授权已失效，请再点一次")},
	{wechat.ErrRateLimited, newError(http.StatusTooManyRequests, "wechat_rate_limited", "微信那边太忙了，请过一分钟再试")},
	{wechat.ErrUnavailable, newError(http.StatusServiceUnavailable, "wechat_unavailable", "暂时连不上微信，请稍后再试")},
	{wechat.ErrRiskBlocked, newError(http.StatusForbidden, "wechat_risk_blocked", "微信暂时不让这个账号登录，请到零工市场找工作人员帮忙")},
	{wechat.ErrWrongApp, newError(http.StatusBadRequest, "wechat_wrong_app", "手机号授权不是来自本小程序，请在小程序里重新授权")},
}

func fieldsError(field, message string) *apiError {
	return invalidFields(fieldError{Field: field, Message: message})
}

// toAPIError finds what to tell the client about err; unknown errors become errInternal.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var inv *model.InvalidInput
	if errors.As(err, &inv) {
		fields := make([]fieldError, len(inv.Fields))
		for i, f := range inv.Fields {
			fields[i] = fieldError{Field: f.Field, Message: f.Message}
		}
		return invalidFields(fields...)
	}
	for _, m := range modelErrors {
		if errors.Is(err, m.err) {
			return m.api
		}
	}
	return errInternal
}

// fail answers the request with err. Internal errors are logged with the request id, and the client gets
// only the generic message and that id: never database text, stack traces or addresses.
func fail(c *gin.Context, err error) {
	ae := toAPIError(err)
	rid := requestID(c)
	if ae.Status >= 500 {
		logger(c).Error("request failed", slog.String("route", c.FullPath()), slog.Any("err", err))
	}
	if ae.Status == http.StatusTooManyRequests {
		c.Header("Retry-After", "60")
	}
	_ = c.Error(err) // kept for middleware that records what was refused (staffOnly audits conflicts of interest)
	c.AbortWithStatusJSON(ae.Status, errorBody{Code: ae.Code, Message: ae.Message, RequestID: rid, Fields: ae.Fields})
}
