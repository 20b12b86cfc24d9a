package model

import (
	"context"
	"errors"
	"slices"
)

// GigDetail is a gig as a signed-in user sees it, with whom to call.
type GigDetail struct {
	Gig
	EmployerName   string
	EmployerRating float64
	EmployerRated  int
	CategoryName   string
	ContactPhone   string
	ViewerOwns     bool   // the viewer posted it: review notes and flags are theirs to see
	PhoneWithheld  string // why ContactPhone is empty for this viewer: PhoneForWorkers or PhoneLimitReached
	// MyApplication is the viewer's own application to the gig, if any.
	MyApplication *Application
}

// viewerFacts is what the gig page needs to know of the person looking, read in one round trip: whether they
// registered as a worker, their application to the gig, whether they saw its phone before, and how many
// phones they saw today. The page is the second busiest after the list.
type viewerFacts struct {
	Registered bool
	AppID      *uint64
	AppStatus  *string
	ReadBefore bool
	ReadsToday int
}

// UseLiveIndex has the gig page read a published gig and its employer from the live index, which every
// instance keeps current from the change feed (within a second of a change elsewhere, at once for this
// instance's own): the page is the second busiest after the list, and what it shows of the gig was read for
// the list already. Only what concerns the viewer is read from the database.
func (s *Store) UseLiveIndex(l *LiveGigs) { s.pages = l }

// GigForViewer opens a gig for the detail page. Published and filled gigs are for everyone; a gig that is over
// (expired or closed) or paused also for the workers it took on, who still confirm the pay and rate; any state for the
// employer who posted it (and staff through their own routes).
func (s *Store) GigForViewer(ctx context.Context, viewerID, gigID uint64) (*GigDetail, error) {
	var page *gigPage
	if s.pages != nil {
		page = s.pages.publishedPage(gigID)
	}
	// The employer looking at their own gig reads it from the database: right after an edit their page must
	// show the edit, whether or not the index has taken it yet.
	if page == nil || page.employer.UserID == viewerID {
		var err error
		if page, err = s.readGigPage(ctx, gigID); err != nil {
			return nil, err
		}
	}
	var facts viewerFacts
	day := s.Now().In(Shanghai).Format(dateLayout)
	// Scalar subqueries on unique keys, no table: one statement that MySQL, MariaDB, TiDB and SQLite all answer.
	err := s.DB.WithContext(ctx).Raw(`SELECT
		EXISTS (SELECT 1 FROM worker_profiles WHERE user_id = ?) AS registered,
		(SELECT id FROM applications WHERE gig_id = ? AND worker_id = ?) AS app_id,
		(SELECT status FROM applications WHERE gig_id = ? AND worker_id = ?) AS app_status,
		`+phoneReadBefore+` AS read_before,
		`+phoneReadsToday+` AS reads_today`,
		viewerID, gigID, viewerID, gigID, viewerID, viewerID, gigID, viewerID, day).Row().
		Scan(&facts.Registered, &facts.AppID, &facts.AppStatus, &facts.ReadBefore, &facts.ReadsToday) // no reflection: the page's one read
	if err != nil {
		return nil, dbErr(err)
	}
	owner := page.employer.UserID == viewerID
	takenOn := facts.AppStatus != nil && slices.Contains(phoneVisible, *facts.AppStatus)
	if status := page.gig.Status; status != GigPublished && status != GigFilled && !owner {
		over := status == GigExpired || status == GigClosed || status == GigPaused
		if !over || !takenOn {
			return nil, ErrNotFound
		}
	}
	gig := page.gig.detached()
	d, err := s.detailOf(&gig, &page.employer, page.categoryName)
	if err != nil {
		return nil, err
	}
	d.ViewerOwns = owner
	if facts.AppID != nil {
		d.MyApplication = &Application{ID: *facts.AppID, GigID: gigID, WorkerID: viewerID, Status: *facts.AppStatus}
	}
	if err := s.showPhone(ctx, d, viewerID, facts, takenOn, day); err != nil {
		return nil, err
	}
	return d, nil
}

// readGigPage reads a gig with its category and employer, for a gig the index does not hold.
func (s *Store) readGigPage(ctx context.Context, gigID uint64) (*gigPage, error) {
	var row struct {
		Gig
		CategoryName                              string
		EmployerUserID                            uint64
		EmployerDisplayName, EmployerVerifiedName string
		EmployerRatingSum, EmployerRatingCount    int
	}
	if err := s.DB.WithContext(ctx).Model(&Gig{}).Select("gigs.*, categories.name AS category_name, employers.user_id AS employer_user_id, "+
		"employers.display_name AS employer_display_name, employers.verified_name AS employer_verified_name, "+
		"employers.rating_sum AS employer_rating_sum, employers.rating_count AS employer_rating_count").
		Joins("JOIN categories ON categories.id = gigs.category_id").Joins("JOIN employers ON employers.id = gigs.employer_id").
		Where("gigs.id = ?", gigID).Take(&row).Error; err != nil {
		return nil, dbErr(err)
	}
	return &gigPage{gig: row.Gig, categoryName: row.CategoryName, employer: Employer{ID: row.EmployerID, UserID: row.EmployerUserID,
		DisplayName: row.EmployerDisplayName, VerifiedName: row.EmployerVerifiedName,
		RatingSum: row.EmployerRatingSum, RatingCount: row.EmployerRatingCount}}, nil
}

// showPhone decides whether viewer sees the gig's contact phone, and records the read. The poster of the gig
// always does; others must have registered as workers, within PhoneReadsPerDay different gigs a day. Only a
// first look under the limit writes, one row: the day's next slot.
func (s *Store) showPhone(ctx context.Context, d *GigDetail, viewerID uint64, facts viewerFacts, takenOn bool, day string) error {
	switch {
	case d.ViewerOwns, takenOn, facts.Registered && facts.ReadBefore:
		// The poster; a worker the employer took on calls them whatever the day's count says; a phone seen
		// before costs nothing.
		return nil
	case !facts.Registered:
		d.ContactPhone, d.PhoneWithheld = "", PhoneForWorkers
		return nil
	}
	db := s.DB.WithContext(ctx)
	// Each pass either writes the read or finds that another request of this worker took the slot (or this
	// gig) meanwhile, so the day fills and the loop ends.
	for {
		if facts.ReadsToday >= PhoneReadsPerDay {
			d.ContactPhone, d.PhoneWithheld = "", PhoneLimitReached
			return nil
		}
		slot := facts.ReadsToday + 1
		err := dbErr(db.Create(&PhoneRead{UserID: viewerID, GigID: d.ID, Day: day, Slot: &slot, CreatedAt: s.Now()}).Error)
		if !errors.Is(err, ErrConflict) && !isDeadlock(err) {
			return err
		}
		if err := db.Raw("SELECT "+phoneReadBefore+", "+phoneReadsToday, viewerID, d.ID, viewerID, day).Row().
			Scan(&facts.ReadBefore, &facts.ReadsToday); err != nil {
			return dbErr(err)
		}
		if facts.ReadBefore {
			return nil
		}
	}
}
