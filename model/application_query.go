package model

import (
	"context"
	"slices"
)

// WorkerApplication is one of a worker's applications with what they need to know of the gig.
type WorkerApplication struct {
	Application
	Gig          Gig
	EmployerName string
	Rated        bool  // the worker has rated the employer for this job
	Owed         *Owed // once taken on: what attendance says is due
}

// WorkerApplications lists a worker's own applications, newest first.
func (s *Store) WorkerApplications(ctx context.Context, workerID uint64, limit int) ([]WorkerApplication, error) {
	var apps []Application
	if err := s.DB.WithContext(ctx).Where("worker_id = ?", workerID).Order("id DESC").Limit(limit).Find(&apps).Error; err != nil {
		return nil, dbErr(err)
	}
	if len(apps) == 0 {
		return []WorkerApplication{}, nil
	}
	gigIDs := make([]uint64, len(apps))
	for i, a := range apps {
		gigIDs[i] = a.GigID
	}
	var gigs []Gig
	if err := s.DB.WithContext(ctx).Where("id IN ?", uniqueIDs(gigIDs)).Find(&gigs).Error; err != nil {
		return nil, dbErr(err)
	}
	byID := map[uint64]Gig{}
	var empIDs []uint64
	for _, g := range gigs {
		byID[g.ID] = g
		empIDs = append(empIDs, g.EmployerID)
	}
	names, err := s.employerNames(ctx, empIDs)
	if err != nil {
		return nil, err
	}
	rated, err := s.ratedBy(ctx, apps, "worker")
	if err != nil {
		return nil, err
	}
	gigOf := map[uint64]*Gig{}
	var pairs []gigWorker
	for i := range gigs {
		gigOf[gigs[i].ID] = &gigs[i]
	}
	for _, a := range apps {
		if slices.Contains(takenOn, a.Status) {
			pairs = append(pairs, gigWorker{a.GigID, workerID})
		}
	}
	owed, err := s.owedFor(ctx, pairs, gigOf)
	if err != nil {
		return nil, err
	}
	out := make([]WorkerApplication, len(apps))
	for i, a := range apps {
		g := byID[a.GigID]
		out[i] = WorkerApplication{Application: a, Gig: g, EmployerName: names[g.EmployerID], Rated: rated[a.ID]}
		if o, ok := owed[gigWorker{a.GigID, workerID}]; ok && slices.Contains(takenOn, a.Status) {
			out[i].Owed = &o
		}
	}
	return out, nil
}

// ratedBy tells which of the applications one side ("worker" or "employer") has already rated.
func (s *Store) ratedBy(ctx context.Context, apps []Application, role string) (map[uint64]bool, error) {
	ids := make([]uint64, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	var done []uint64
	if err := s.DB.WithContext(ctx).Model(&Rating{}).Where("application_id IN ? AND by_role = ?", ids, role).
		Pluck("application_id", &done).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make(map[uint64]bool, len(done))
	for _, id := range done {
		out[id] = true
	}
	return out, nil
}

func (s *Store) employerNames(ctx context.Context, ids []uint64) (map[uint64]string, error) {
	var emps []Employer
	if err := s.DB.WithContext(ctx).Select("id, display_name, verified_name").Where("id IN ?", uniqueIDs(ids)).Find(&emps).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make(map[uint64]string, len(emps))
	for _, e := range emps {
		out[e.ID] = e.PublicName()
	}
	return out, nil
}

// Applicant is a worker as the employer of a gig sees them: masked name, age, sex, skills and rating; the
// phone number only once the employer has confirmed them.
type Applicant struct {
	Application
	MaskedName  string
	Age         int
	Male        bool
	Skills      []string
	Rating      float64
	RatingCount int
	Phone       string
	Rated       bool  // the employer has rated this worker for this job
	Owed        *Owed // once taken on: what attendance says is due
	Record      WorkerRecord
}

// phoneVisible are the states in which the employer has taken the worker on and may call them.
var phoneVisible = []string{AppConfirmed, AppCompleted, AppPaid, AppDisputed}

// GigApplicants lists the applicants of the employer's own gig, oldest first (first come, first seen).
func (s *Store) GigApplicants(ctx context.Context, employerUserID, gigID uint64) ([]Applicant, error) {
	var g Gig
	if err := s.DB.WithContext(ctx).Take(&g, gigID).Error; err != nil {
		return nil, dbErr(err)
	}
	if err := s.mustOwn(s.DB.WithContext(ctx), employerUserID, &g); err != nil {
		return nil, err
	}
	var apps []Application
	if err := s.DB.WithContext(ctx).Where("gig_id = ?", gigID).Order("id").Limit(1000).Find(&apps).Error; err != nil {
		return nil, dbErr(err)
	}
	if len(apps) == 0 {
		return []Applicant{}, nil
	}
	ids := make([]uint64, len(apps))
	for i, a := range apps {
		ids[i] = a.WorkerID
	}
	var profiles []WorkerProfile
	if err := s.DB.WithContext(ctx).Where("user_id IN ?", ids).Find(&profiles).Error; err != nil {
		return nil, dbErr(err)
	}
	var users []User
	if err := s.DB.WithContext(ctx).Unscoped().Select("id, phone_cipher").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return nil, dbErr(err)
	}
	type skillRow struct {
		UserID uint64
		Name   string
	}
	var skills []skillRow
	if err := s.DB.WithContext(ctx).Table("worker_skills").Select("worker_skills.user_id, categories.name").
		Joins("JOIN categories ON categories.id = worker_skills.category_id").
		Where("worker_skills.user_id IN ?", ids).Order("categories.sort").Scan(&skills).Error; err != nil {
		return nil, dbErr(err)
	}
	profileOf := map[uint64]*WorkerProfile{}
	for i := range profiles {
		profileOf[profiles[i].UserID] = &profiles[i]
	}
	phoneOf := map[uint64]string{}
	for _, u := range users {
		phoneOf[u.ID] = u.PhoneCipher
	}
	skillsOf := map[uint64][]string{}
	for _, r := range skills {
		skillsOf[r.UserID] = append(skillsOf[r.UserID], r.Name)
	}
	rated, err := s.ratedBy(ctx, apps, "employer")
	if err != nil {
		return nil, err
	}
	var pairs []gigWorker
	for _, a := range apps {
		if slices.Contains(takenOn, a.Status) {
			pairs = append(pairs, gigWorker{gigID, a.WorkerID})
		}
	}
	owed, err := s.owedFor(ctx, pairs, map[uint64]*Gig{gigID: &g})
	if err != nil {
		return nil, err
	}
	records, err := s.WorkerRecords(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]Applicant, 0, len(apps))
	for _, a := range apps {
		p := profileOf[a.WorkerID]
		if p == nil {
			continue
		}
		w, err := s.openWorker(p, nil)
		if err != nil {
			return nil, err
		}
		ap := Applicant{Application: a, MaskedName: MaskName(w.Name), Age: w.Age(now), Male: w.Male,
			Skills: skillsOf[a.WorkerID], Rating: w.Rating, RatingCount: w.RatingCount, Rated: rated[a.ID], Record: records[a.WorkerID]}
		if slices.Contains(phoneVisible, a.Status) {
			if ap.Phone, err = s.Crypt.Decrypt(phoneOf[a.WorkerID]); err != nil {
				return nil, err
			}
		}
		if o, ok := owed[gigWorker{gigID, a.WorkerID}]; ok {
			ap.Owed = &o
		}
		out = append(out, ap)
	}
	return out, nil
}

// ApplicationOf is a worker's application to a gig, if they made one.
func (s *Store) ApplicationOf(ctx context.Context, workerID, gigID uint64) (*Application, error) {
	var app Application
	if err := s.DB.WithContext(ctx).Where("gig_id = ? AND worker_id = ?", gigID, workerID).Take(&app).Error; err != nil {
		return nil, dbErr(err)
	}
	return &app, nil
}
