package model

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"
)

// Place is a point on the map in GCJ-02 (what wx.getLocation gives with type gcj02) with a readable address.
type Place struct {
	Lat     float64 `json:"lat"`
	Lng     float64 `json:"lng"`
	Address string  `json:"address"`
}

// validCoordinates is China's bounding box, roughly: coordinates outside it are a mistake.
func validCoordinates(lat, lng float64) bool {
	return lat >= 3 && lat <= 54 && lng >= 73 && lng <= 136 && !math.IsNaN(lat) && !math.IsNaN(lng)
}

// Difficulty statuses of a worker's request to be recognised as 就业困难人员.
const (
	DifficultyNone       = "none"
	DifficultyRequested  = "requested"
	DifficultyRecognized = "recognized"
	DifficultyDeclined   = "declined"
)

// WorkerProfile is a worker's 求职登记. Name, ID number and home are sealed; the home is also kept rounded to
// about a kilometre, in the clear, so that "workers near a market" can be found without decrypting anyone.
type WorkerProfile struct {
	UserID            uint64 `gorm:"primaryKey;autoIncrement:false"`
	NameCipher        string
	IDNumberCipher    string
	IDNumberHash      string
	BirthDate         string
	Male              bool
	ExpectedWageCents int64
	AvailableDays     uint8
	HomeCipher        string
	HomeLatCoarse     float64
	HomeLngCoarse     float64
	AreaCode          string
	WantsRegistration bool
	DifficultyStatus  string
	RatingSum         int
	RatingCount       int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// WorkerSkill is one 工种 a worker offers.
type WorkerSkill struct {
	UserID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	CategoryID uint64 `gorm:"primaryKey;autoIncrement:false"`
}

// WorkerInput is what a worker registers; the ID number gives age and sex, which are never asked.
type WorkerInput struct {
	Name              string
	IDNumber          string
	SkillIDs          []uint64
	ExpectedWageCents int64
	AvailableDays     uint8 // bit 0 Monday … bit 6 Sunday
	Home              *Place
	AreaCode          string
	WantsRegistration bool
	RequestDifficulty bool
	// QuietConflict: an ID number another account holds is not refused but held for staff to decide
	// (IdentityClaim), so that registering never tells whether a number is registered. Staff registering a
	// walk-in are told instead.
	QuietConflict bool
}

// Worker is a profile opened for its owner (or, masked, for others).
type Worker struct {
	UserID            uint64
	Name              string
	IDNumber          string
	BirthDate         string
	Male              bool
	Skills            []Category
	ExpectedWageCents int64
	AvailableDays     uint8
	Home              *Place
	AreaCode          string
	WantsRegistration bool
	DifficultyStatus  string
	Rating            float64
	RatingCount       int
}

// Age is the worker's age today.
func (w *Worker) Age(now time.Time) int {
	birth, err := time.ParseInLocation(dateLayout, w.BirthDate, Shanghai)
	if err != nil {
		return 0
	}
	return ageOn(birth, now)
}

const dateLayout = "2006-01-02"

// SaveWorker creates or updates the caller's worker profile and makes them a worker.
func (s *Store) SaveWorker(ctx context.Context, userID uint64, in WorkerInput) (*Worker, error) {
	var bad fieldErrors
	var ok bool
	if in.Name, ok = personName(in.Name, 20); !ok {
		bad.add("name", "请填写身份证上的姓名")
	}
	// The form shows the stored number masked; sent back empty, it means "keep it".
	if in.IDNumber == "" {
		if w, err := s.Worker(ctx, userID); err == nil {
			in.IDNumber = w.IDNumber
		} else if !errors.Is(err, ErrProfileMissing) {
			return nil, err
		}
	}
	id, err := ParseIDNumber(in.IDNumber, s.Now())
	if in.IDNumber == "" {
		bad.add("id_number", "请填写身份证号")
	} else if err != nil {
		bad.add("id_number", "身份证号不对，请对照身份证再填一次")
	} else if age := id.Age(s.Now()); age < 16 {
		bad.add("id_number", "未满16周岁不能登记求职")
	}
	in.SkillIDs = uniqueIDs(in.SkillIDs)
	if len(in.SkillIDs) == 0 || len(in.SkillIDs) > 8 {
		bad.add("skills", "请选 1 到 8 个会做的工种")
	} else if missing, err := s.unknownCategories(ctx, in.SkillIDs); err != nil {
		return nil, err
	} else if len(missing) > 0 {
		bad.add("skills", "有工种不在目录里，请重新选择")
	}
	if in.ExpectedWageCents < 0 || in.ExpectedWageCents > 10_000_00 {
		bad.add("expected_daily_wage_cents", "期望日薪不对")
	}
	if in.AvailableDays > 0x7f {
		bad.add("available_days", "可工作的日子不对")
	}
	if in.Home != nil && !validCoordinates(in.Home.Lat, in.Home.Lng) {
		bad.add("home", "位置不对，请重新定位")
	}
	if in.AreaCode != "" {
		if _, ok := LookupArea(in.AreaCode); !ok {
			bad.add("area_code", "所在地区不对，请重新选择")
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}

	name, err := s.Crypt.Encrypt(in.Name)
	if err != nil {
		return nil, err
	}
	idCipher, err := s.Crypt.Encrypt(id.Number)
	if err != nil {
		return nil, err
	}
	p := WorkerProfile{
		UserID: userID, NameCipher: name, IDNumberCipher: idCipher, IDNumberHash: s.Crypt.LookupHash("id", id.Number),
		BirthDate: id.Birth.Format(dateLayout), Male: id.Male, ExpectedWageCents: in.ExpectedWageCents,
		AvailableDays: in.AvailableDays, AreaCode: in.AreaCode, WantsRegistration: in.WantsRegistration,
		DifficultyStatus: DifficultyNone,
	}
	if in.Home != nil {
		home, _ := json.Marshal(in.Home)
		if p.HomeCipher, err = s.Crypt.Encrypt(string(home)); err != nil {
			return nil, err
		}
		p.HomeLatCoarse, p.HomeLngCoarse = coarse(in.Home.Lat), coarse(in.Home.Lng)
	}

	err = s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		var existing WorkerProfile
		err := tx.Where("user_id = ?", userID).Take(&existing).Error
		found := err == nil
		switch {
		case found:
			p.CreatedAt, p.RatingSum, p.RatingCount = existing.CreatedAt, existing.RatingSum, existing.RatingCount
			p.DifficultyStatus = existing.DifficultyStatus
		case errors.Is(err, gorm.ErrRecordNotFound):
			p.CreatedAt = now
		default:
			return dbErr(err)
		}
		holder, err := holderOf(tx, p.IDNumberHash, userID)
		if err != nil {
			return err
		}
		switch {
		case holder != 0 && in.QuietConflict:
			if err := holdForReview(tx, &p, holder, now); err != nil {
				return err
			}
		case holder != 0:
			return ErrIDNumberTaken
		default:
			if err := withdrawClaims(tx, userID, now); err != nil {
				return err
			}
		}
		if in.RequestDifficulty && (p.DifficultyStatus == DifficultyNone || p.DifficultyStatus == DifficultyDeclined) {
			p.DifficultyStatus = DifficultyRequested
		}
		p.UpdatedAt = now
		var write *gorm.DB
		if found {
			write = tx.Model(&WorkerProfile{}).Where("user_id = ?", userID).Select("*").Updates(&p)
		} else {
			write = tx.Create(&p)
		}
		if err := write.Error; err != nil {
			if err = dbErr(err); errors.Is(err, ErrConflict) {
				return ErrIDNumberTaken
			}
			return err
		}
		if err := tx.Where("user_id = ?", userID).Delete(&WorkerSkill{}).Error; err != nil {
			return dbErr(err)
		}
		skills := make([]WorkerSkill, len(in.SkillIDs))
		for i, c := range in.SkillIDs {
			skills[i] = WorkerSkill{UserID: userID, CategoryID: c}
		}
		if err := tx.Create(&skills).Error; err != nil {
			return dbErr(err)
		}
		return dbErr(tx.Model(&User{}).Where("id = ?", userID).
			Update("roles", gorm.Expr("roles | ?", uint8(roleBit(RoleWorker)))).Error)
	})
	if err != nil {
		return nil, err
	}
	return s.Worker(ctx, userID)
}

// ErrIDNumberTaken: another account registered the same ID number.
var ErrIDNumberTaken = errors.New("id number registered by another account")

// coarse rounds a coordinate to 0.01° (about a kilometre).
func coarse(v float64) float64 { return math.Round(v*100) / 100 }

func uniqueIDs(ids []uint64) []uint64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// Worker opens a worker's profile; ErrProfileMissing when they have none.
func (s *Store) Worker(ctx context.Context, userID uint64) (*Worker, error) {
	var p WorkerProfile
	if err := s.DB.WithContext(ctx).Where("user_id = ?", userID).Take(&p).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return nil, ErrProfileMissing
		}
		return nil, err
	}
	var skills []Category
	err := s.DB.WithContext(ctx).Joins("JOIN worker_skills ON worker_skills.category_id = categories.id").
		Where("worker_skills.user_id = ?", userID).Order("categories.sort").Find(&skills).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return s.openWorker(&p, skills)
}

// ErrProfileMissing: the user has not registered as a worker (or employer) yet.
var ErrProfileMissing = errors.New("profile missing")

func (s *Store) openWorker(p *WorkerProfile, skills []Category) (*Worker, error) {
	name, err := s.Crypt.Decrypt(p.NameCipher)
	if err != nil {
		return nil, err
	}
	idNumber, err := s.Crypt.Decrypt(p.IDNumberCipher)
	if err != nil {
		return nil, err
	}
	w := &Worker{
		UserID: p.UserID, Name: name, IDNumber: idNumber, BirthDate: p.BirthDate, Male: p.Male, Skills: skills,
		ExpectedWageCents: p.ExpectedWageCents, AvailableDays: p.AvailableDays, AreaCode: p.AreaCode,
		WantsRegistration: p.WantsRegistration, DifficultyStatus: p.DifficultyStatus, RatingCount: p.RatingCount,
	}
	if p.RatingCount > 0 {
		w.Rating = float64(p.RatingSum) / float64(p.RatingCount)
	}
	if p.HomeCipher != "" {
		home, err := s.Crypt.Decrypt(p.HomeCipher)
		if err != nil {
			return nil, err
		}
		w.Home = &Place{}
		if err := json.Unmarshal([]byte(home), w.Home); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// DifficultyRequest is a worker asking to be recognised as 就业困难人员, as staff see it.
type DifficultyRequest struct {
	UserID    uint64
	Name      string
	IDNumber  string
	AreaCode  string
	UpdatedAt time.Time
}

// DifficultyRequests lists the open requests in a staff member's scope, oldest first.
func (s *Store) DifficultyRequests(ctx context.Context, scope Scope, limit int) ([]DifficultyRequest, error) {
	var profiles []WorkerProfile
	q := scope.where(s.DB.WithContext(ctx).Where("difficulty_status = ?", DifficultyRequested), "area_code")
	if err := q.Order("updated_at").Limit(limit).Find(&profiles).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]DifficultyRequest, 0, len(profiles))
	for i := range profiles {
		w, err := s.openWorker(&profiles[i], nil)
		if err != nil {
			return nil, err
		}
		out = append(out, DifficultyRequest{UserID: w.UserID, Name: w.Name, IDNumber: w.IDNumber, AreaCode: w.AreaCode,
			UpdatedAt: profiles[i].UpdatedAt})
	}
	return out, nil
}

// DecideDifficulty records staff's answer to a worker's request, within their scope.
func (s *Store) DecideDifficulty(ctx context.Context, scope Scope, workerID uint64, recognise bool) error {
	var p WorkerProfile
	if err := s.DB.WithContext(ctx).Select("user_id, area_code").Where("user_id = ?", workerID).Take(&p).Error; err != nil {
		return dbErr(err)
	}
	if !scope.Covers(p.AreaCode) {
		return ErrNotFound
	}
	if err := conflicted(s.DB.WithContext(ctx), scope.UserID, workerID, true); err != nil {
		return err
	}
	status := DifficultyDeclined
	if recognise {
		status = DifficultyRecognized
	}
	res := s.DB.WithContext(ctx).Model(&WorkerProfile{}).
		Where("user_id = ? AND difficulty_status = ?", workerID, DifficultyRequested).
		Updates(map[string]any{"difficulty_status": status, "updated_at": s.Now()})
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrAlreadyDecided
	}
	return nil
}
