package model

import (
	"cmp"
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// StaffMember is a user who works for the market within an area: a county, a city, or the province.
type StaffMember struct {
	UserID uint64 `gorm:"primaryKey;autoIncrement:false"`
	// Name is how colleagues know them, typed by the admin who made them staff.
	Name       string
	AreaCode   string
	MarketID   *uint64
	CreatedBy  uint64
	CreatedAt  time.Time
	DisabledAt *time.Time
}

// Scope is what a staff member may see: admins everything, staff the divisions inside their area.
type Scope struct {
	All    bool
	Prefix string // area-code prefix, e.g. "3404" for 淮南市
	UserID uint64
}

// Covers tells whether an area code lies in the scope.
func (sc Scope) Covers(areaCode string) bool {
	return sc.All || (sc.Prefix != "" && len(areaCode) >= len(sc.Prefix) && areaCode[:len(sc.Prefix)] == sc.Prefix)
}

// areaCode is the division the scope is, as a 6-digit code ("3401" is 340100, 合肥市); "" for an admin's,
// which no staff scope covers.
func (sc Scope) areaCode() string {
	if sc.All || sc.Prefix == "" {
		return ""
	}
	return (sc.Prefix + "000000")[:6]
}

// where limits a query on a table with an area_code column to the scope.
func (sc Scope) where(db *gorm.DB, column string) *gorm.DB {
	if sc.All {
		return db
	}
	return db.Where(column+" LIKE ?", sc.Prefix+"%")
}

// ErrNotStaff: the user is neither staff nor admin.
var ErrNotStaff = errors.New("not staff")

// StaffScope finds what the user may see as staff. It reads the roles afresh rather than trusting a cached
// session's copy: a right taken away must end at once.
func (s *Store) StaffScope(ctx context.Context, userID uint64) (Scope, error) {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Scope{}, ErrNotStaff
		}
		return Scope{}, err
	}
	if u.Roles.Has(RoleAdmin) {
		return Scope{All: true, UserID: u.ID}, nil
	}
	if !u.Roles.Has(RoleStaff) {
		return Scope{}, ErrNotStaff
	}
	var m StaffMember
	err = s.DB.WithContext(ctx).Where("user_id = ? AND disabled_at IS NULL", u.ID).Take(&m).Error
	if err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return Scope{}, ErrNotStaff
		}
		return Scope{}, err
	}
	area, ok := LookupArea(m.AreaCode)
	if !ok {
		return Scope{}, ErrNotStaff
	}
	return Scope{Prefix: area.AreaPrefix(), UserID: u.ID}, nil
}

// CheckStaffName is the rule for a staff member's name, for forms that ask before AddStaff.
func CheckStaffName(name string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(name)); n == 0 || n > 32 {
		return &InvalidInput{Fields: []FieldError{{"name", "请填写工作人员的姓名（最多32个字）"}}}
	}
	return nil
}

// AddStaff makes a user staff of an area, or of a market (their area is then the market's county), or
// moves them to another.
func (s *Store) AddStaff(ctx context.Context, adminID, userID uint64, name, areaCode string, marketID *uint64) error {
	name = strings.TrimSpace(name)
	if err := CheckStaffName(name); err != nil {
		return err
	}
	if marketID != nil {
		m, err := s.Market(ctx, *marketID)
		if err != nil {
			return notFoundAs(err, "market_id", "没有这个零工市场")
		}
		areaCode = m.AreaCode
	}
	if _, ok := LookupArea(areaCode); !ok {
		return &InvalidInput{Fields: []FieldError{{"area_code", "请选择辖区或零工市场"}}}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", userID).Update("roles", gorm.Expr("roles | ?", uint8(roleBit(RoleStaff))))
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			// Already staff, and updated within the same millisecond: nothing changed, but is the user there?
			if there, err := s.stillMatches(tx, &User{}, "id = ?", userID); err != nil || !there {
				return cmp.Or(err, ErrNotFound)
			}
		}
		now := s.Now()
		res = tx.Model(&StaffMember{}).Where("user_id = ?", userID).
			Updates(map[string]any{"name": name, "area_code": areaCode, "market_id": marketID, "disabled_at": nil, "created_by": adminID})
		if res.Error != nil || res.RowsAffected == 1 {
			return dbErr(res.Error)
		}
		// Made staff again exactly as before: no row changed, one is there.
		if there, err := s.stillMatches(tx, &StaffMember{}, "user_id = ?", userID); err != nil || there {
			return err
		}
		return dbErr(tx.Create(&StaffMember{UserID: userID, Name: name, AreaCode: areaCode, MarketID: marketID, CreatedBy: adminID, CreatedAt: now}).Error)
	})
}

// DisableStaff takes the staff role away and ends their console sessions; their past actions stay in the
// audit log.
func (s *Store) DisableStaff(ctx context.Context, userID uint64) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&StaffMember{}).Where("user_id = ? AND disabled_at IS NULL", userID).Update("disabled_at", s.Now())
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := tx.Model(&User{}).Where("id = ?", userID).
			Update("roles", gorm.Expr("roles & ?", uint8(^roleBit(RoleStaff)))).Error; err != nil {
			return dbErr(err)
		}
		// Their open consoles end here too, not only at their next request (which checks the role anyway).
		return dbErr(endConsoleSessions(tx, userID, s.Now(), ConsoleEndStaffDisabled).Error)
	})
}

// StaffMembers lists staff, active first.
func (s *Store) StaffMembers(ctx context.Context) ([]StaffMember, error) {
	var out []StaffMember
	return out, dbErr(s.DB.WithContext(ctx).Order("disabled_at IS NOT NULL, user_id").Find(&out).Error)
}
