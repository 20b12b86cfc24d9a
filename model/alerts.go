package model

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// 有活就告诉我: a worker's standing request to hear of new gigs that suit them. When staff approve a gig, the
// matching workers are found in each instance's AlertIndex (not by scanning workers), one AlertDelivery row
// per worker and gig is queued under a unique key, and the sender tells each worker once — by WeChat
// subscribe message where they granted one, otherwise by SMS with their consent, in the daytime, at most
// AlertSMSPerDay a day.

// AlertSubscription is one worker's alert settings. The place is kept as a point rounded to about a kilometre
// (the home's coarse point, or the market's), in the clear like WorkerProfile.HomeLatCoarse, so that the index
// is built without decrypting anyone's address.
type AlertSubscription struct {
	UserID      uint64   `gorm:"primaryKey;autoIncrement:false"`
	CategoryIDs []uint64 `gorm:"serializer:json"` // empty: every trade
	Place       string   // AlertPlaceHome or AlertPlaceMarket
	MarketID    uint64
	Lat, Lng    float64
	RadiusM     int
	DailyPay    bool   // only gigs paid at the end of each day (日结)
	EarliestAt  string // "07:00": no gig whose work starts earlier; "" any time
	Enabled     bool
	SMSConsent  bool `gorm:"column:sms_consent"`
	// SMSConsentAt is when the worker last said yes to SMS themself; SMSStoppedAt when they replied 退订.
	SMSConsentAt *time.Time `gorm:"column:sms_consent_at"`
	SMSStoppedAt *time.Time `gorm:"column:sms_stopped_at"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Where an alert's place comes from.
const (
	AlertPlaceHome   = "home"
	AlertPlaceMarket = "market"
)

// Alert radius bounds, in metres: a kilometre is a walk, twenty an hour on a bus.
const (
	AlertRadiusMin     = 1_000
	AlertRadiusMax     = 20_000
	AlertRadiusDefault = 5_000
	alertMaxTrades     = 10
)

// AlertInput is what a worker (or their family delegate) sets.
type AlertInput struct {
	CategoryIDs []uint64
	Place       string
	MarketID    uint64
	RadiusM     int
	DailyPay    bool
	EarliestAt  string
	Enabled     bool
	SMSConsent  bool
	// SMSToken is the SMSToken of the settings the page showed: saying yes to SMS needs the current one, so a
	// page read before a 退订 reply or a new phone cannot give consent again unseen.
	SMSToken string
}

// AlertSettings are a worker's settings as they see them: what they saved, or the defaults to start from.
type AlertSettings struct {
	AlertSubscription
	Saved    bool
	HasHome  bool // the worker registered a home, so "near home" can be chosen
	HasPhone bool // a phone is bound, so SMS can be chosen
	// SMSToken names what SMS consent was last stopped by (a 退订 reply, the bound phone): SaveAlerts wants it back.
	SMSToken string
}

// Errors of saying yes to SMS from a page read before consent was stopped.
var (
	ErrSMSStoppedByReply = errors.New("sms stopped by a reply since the settings were read")
	ErrSMSConsentStale   = errors.New("sms consent changed since the settings were read")
)

// smsToken is "<the 退订's Unix milliseconds, 0 for none>.<a digest of the bound phone's look-up hash, empty for
// none>": both parts change when consent is stopped other than by the worker's own save.
func smsToken(stoppedAt *time.Time, phoneHash *string) string {
	stop, phone := int64(0), ""
	if stoppedAt != nil {
		stop = stoppedAt.UnixMilli()
	}
	if phoneHash != nil && *phoneHash != "" {
		sum := sha256.Sum256([]byte(*phoneHash))
		phone = hex.EncodeToString(sum[:6])
	}
	return strconv.FormatInt(stop, 10) + "." + phone
}

// checkSMSToken tells whether a save saying yes to SMS was made on a page that showed consent as it stands.
// A page read before any phone was bound may agree for the number bound since.
func checkSMSToken(got string, stoppedAt *time.Time, phoneHash *string) error {
	want := smsToken(stoppedAt, phoneHash)
	if got == want {
		return nil
	}
	gotStop, gotPhone, ok := strings.Cut(got, ".")
	wantStop, _, _ := strings.Cut(want, ".")
	switch {
	case ok && gotStop == wantStop && gotPhone == "":
		return nil
	case stoppedAt != nil && gotStop != wantStop:
		return ErrSMSStoppedByReply
	}
	return ErrSMSConsentStale
}

// Alerts reads a worker's alert settings; before the first save, the defaults (near home when they
// registered one, their own trades, 5 km, off).
func (s *Store) Alerts(ctx context.Context, userID uint64) (*AlertSettings, error) {
	db := s.DB.WithContext(ctx)
	var p WorkerProfile
	if err := db.Select("user_id, home_lat_coarse, home_lng_coarse").Take(&p, "user_id = ?", userID).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return nil, ErrProfileMissing
		}
		return nil, err
	}
	var u User
	if err := db.Select("id, phone_cipher, phone_hash").Take(&u, userID).Error; err != nil {
		return nil, dbErr(err)
	}
	out := &AlertSettings{HasHome: p.HomeLatCoarse != 0, HasPhone: u.PhoneCipher != "", SMSToken: smsToken(nil, u.PhoneHash)}
	err := db.Take(&out.AlertSubscription, "user_id = ?", userID).Error
	switch err = dbErr(err); {
	case err == nil:
		out.Saved = true
		out.SMSToken = smsToken(out.SMSStoppedAt, u.PhoneHash)
		return out, nil
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	var skills []uint64
	if err := db.Model(&WorkerSkill{}).Where("user_id = ?", userID).Order("category_id").Pluck("category_id", &skills).Error; err != nil {
		return nil, dbErr(err)
	}
	out.AlertSubscription = AlertSubscription{UserID: userID, CategoryIDs: skills, Place: AlertPlaceHome, RadiusM: AlertRadiusDefault}
	if !out.HasHome {
		out.Place = AlertPlaceMarket
	}
	return out, nil
}

// SaveAlerts sets a worker's own alerts.
func (s *Store) SaveAlerts(ctx context.Context, userID uint64, in AlertInput) (*AlertSettings, error) {
	if err := s.saveAlerts(ctx, userID, in, true); err != nil {
		return nil, err
	}
	return s.Alerts(ctx, userID)
}

// AlertsFor reads an elder's alerts for their family delegate.
func (s *Store) AlertsFor(ctx context.Context, delegateID, elderID uint64) (*AlertSettings, error) {
	if err := s.actingFor(ctx, delegateID, elderID); err != nil {
		return nil, err
	}
	return s.Alerts(ctx, elderID)
}

// SaveAlertsFor sets an elder's alerts for them. Consent to SMS is the elder's own to give: a delegate may
// leave it as it is or take it back, never give it.
func (s *Store) SaveAlertsFor(ctx context.Context, delegateID, elderID uint64, in AlertInput) (*AlertSettings, error) {
	if err := s.actingFor(ctx, delegateID, elderID); err != nil {
		return nil, err
	}
	if err := s.saveAlerts(ctx, elderID, in, false); err != nil {
		return nil, err
	}
	if err := s.recordOnBehalf(s.DB.WithContext(ctx), delegateID, elderID, "alerts", "worker", elderID, "family"); err != nil {
		return nil, err
	}
	return s.Alerts(ctx, elderID)
}

func (s *Store) saveAlerts(ctx context.Context, userID uint64, in AlertInput, self bool) error {
	cur, err := s.Alerts(ctx, userID)
	if err != nil {
		return err
	}
	var bad fieldErrors
	in.CategoryIDs = uniqueIDs(in.CategoryIDs)
	slices.Sort(in.CategoryIDs)
	if len(in.CategoryIDs) > alertMaxTrades {
		bad.add("category_ids", "最多选10个工种")
	} else if len(in.CategoryIDs) > 0 {
		var n int64
		if err := s.DB.WithContext(ctx).Model(&Category{}).Where("id IN ?", in.CategoryIDs).Count(&n).Error; err != nil {
			return dbErr(err)
		}
		if int(n) != len(in.CategoryIDs) {
			bad.add("category_ids", "有的工种不存在，请重新选")
		}
	}
	sub := AlertSubscription{UserID: userID, CategoryIDs: in.CategoryIDs, Place: in.Place, RadiusM: in.RadiusM,
		DailyPay: in.DailyPay, EarliestAt: in.EarliestAt, Enabled: in.Enabled, CreatedAt: cur.CreatedAt}
	switch in.Place {
	case AlertPlaceHome:
		var p WorkerProfile
		if err := s.DB.WithContext(ctx).Select("home_lat_coarse, home_lng_coarse").Take(&p, "user_id = ?", userID).Error; err != nil {
			return dbErr(err)
		}
		if p.HomeLatCoarse == 0 {
			bad.add("place", "登记时没有填住址，请选一个零工市场，或先在“我的”里补上住址")
		}
		sub.Lat, sub.Lng = p.HomeLatCoarse, p.HomeLngCoarse
	case AlertPlaceMarket:
		m, err := s.Market(ctx, in.MarketID)
		if errors.Is(err, ErrNotFound) || in.MarketID == 0 {
			bad.add("market_id", "请选一个零工市场")
		} else if err != nil {
			return err
		} else {
			sub.MarketID, sub.Lat, sub.Lng = m.ID, m.Lat, m.Lng
		}
	default:
		bad.add("place", "请选“家附近”或一个零工市场")
	}
	if in.RadiusM < AlertRadiusMin || in.RadiusM > AlertRadiusMax {
		bad.add("radius_m", "范围请选1到20公里")
	}
	if in.EarliestAt != "" && !timeOfDay.MatchString(in.EarliestAt) {
		bad.add("earliest_at", "最早上工时间写成 07:00 这样")
	}
	now := s.Now()
	giving := in.SMSConsent && !cur.SMSConsent
	if giving {
		switch {
		case !self:
			bad.add("sms_consent", "收短信要老人自己在他的微信里同意")
		case !cur.HasPhone:
			bad.add("sms_consent", "要收短信，请先在“我的”里绑定手机号")
		}
	}
	if err := bad.err(); err != nil {
		return err
	}
	if sub.CategoryIDs == nil {
		sub.CategoryIDs = []uint64{}
	}
	if !cur.Saved {
		sub.CreatedAt = now
	}
	sub.UpdatedAt = now
	return s.tx(ctx, func(tx *gorm.DB) error {
		// Consent as it stands now, locked: a 退订 reply that arrived since the settings were read must stand
		// unless this save is the worker saying yes again.
		var stands AlertSubscription
		err := s.locking(tx.Select("sms_consent", "sms_consent_at", "sms_stopped_at").Where("user_id = ?", userID)).
			Limit(1).Find(&stands).Error
		if err != nil {
			return dbErr(err)
		}
		sub.SMSConsent, sub.SMSConsentAt, sub.SMSStoppedAt = stands.SMSConsent, stands.SMSConsentAt, stands.SMSStoppedAt
		if self && in.SMSConsent && !stands.SMSConsent {
			// A yes only counts from a page that showed consent off as it is now: a form read before a 退订
			// or a new phone still says yes, and the worker must see that and say it again.
			var u User
			if err := tx.Select("id, phone_hash").Take(&u, userID).Error; err != nil {
				return dbErr(err)
			}
			if err := checkSMSToken(in.SMSToken, stands.SMSStoppedAt, u.PhoneHash); err != nil {
				return err
			}
			giving = true
		}
		switch {
		case giving:
			// Saying yes again after a 退订 reply is the worker's own new consent.
			sub.SMSConsent, sub.SMSConsentAt, sub.SMSStoppedAt = true, &now, nil
		case !in.SMSConsent:
			sub.SMSConsent = false
		}
		if err := tx.Save(&sub).Error; err != nil {
			return dbErr(err)
		}
		return noteChanges(tx, now, changeAlert, userID)
	})
}

// AlertSMSStillWanted reads, just before an SMS goes, whether the worker still has alerts on and consents to
// SMS: a batch claimed a few seconds earlier must not send after a 退订 reply or the off switch.
func (s *Store) AlertSMSStillWanted(ctx context.Context, userID uint64) (bool, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&AlertSubscription{}).
		Where("user_id = ? AND enabled = ? AND sms_consent = ?", userID, true, true).Count(&n).Error
	return n == 1, dbErr(err)
}

// StopAlertSMS records a 退订 reply from a phone: its owner gets no more alert SMS until they say yes again
// in the app. It reports whether the phone belongs to someone with alerts.
func (s *Store) StopAlertSMS(ctx context.Context, phone string) (bool, error) {
	hash := s.Crypt.LookupHash("phone", phone)
	var ids []uint64
	if err := s.DB.WithContext(ctx).Model(&User{}).Where("phone_hash = ?", hash).Pluck("id", &ids).Error; err != nil {
		return false, dbErr(err)
	}
	if len(ids) == 0 {
		return false, nil
	}
	var stopped bool
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		res := tx.Model(&AlertSubscription{}).Where("user_id IN ?", ids).
			Updates(map[string]any{"sms_consent": false, "sms_stopped_at": now, "updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		stopped = res.RowsAffected > 0
		return noteChanges(tx, now, changeAlert, ids...)
	})
	return stopped, err
}

// endAlertSMSConsent ends a worker's consent to alert SMS because their bound phone changed (or left them):
// consent was given for the old number. WeChat messages go on; the settings show SMS off, to be agreed again.
// Every write of users.phone_hash goes through it.
func endAlertSMSConsent(tx *gorm.DB, now time.Time, userID uint64) error {
	res := tx.Model(&AlertSubscription{}).Where("user_id = ? AND sms_consent = ?", userID, true).
		Updates(map[string]any{"sms_consent": false, "updated_at": now})
	if res.Error != nil || res.RowsAffected == 0 {
		return dbErr(res.Error)
	}
	return noteChanges(tx, now, changeAlert, userID)
}

// unsubscribeWords are the replies that stop SMS: what China's carriers require every sender to honour.
var unsubscribeWords = map[string]bool{"退订": true, "TD": true, "T": true, "N": true, "取消": true, "退定": true}

// IsUnsubscribe tells whether an SMS reply asks to stop.
func IsUnsubscribe(text string) bool {
	return unsubscribeWords[strings.ToUpper(strings.TrimSpace(text))]
}

// alertStartMinute is the minute of the day a gig's work starts (from "08:00-17:00"), -1 when unknown.
func alertStartMinute(workHours string) int {
	if len(workHours) < 5 || !timeOfDay.MatchString(workHours[:5]) {
		return -1
	}
	h, _ := strconv.Atoi(workHours[:2])
	m, _ := strconv.Atoi(workHours[3:5])
	return h*60 + m
}
