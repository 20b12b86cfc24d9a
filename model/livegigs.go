package model

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// LiveGigs is each instance's in-memory index of the gigs open for applications, for the hottest path of
// the product: "what work is near me". It is loaded from the database at start, kept fresh by Sync (every
// second, and right after this instance changes a gig), and reloaded whole every few minutes so that
// nothing another instance did can drift. The database stays the only source of truth; the index only
// answers browsing, never decides a spot.
type LiveGigs struct {
	store *Store

	mu       sync.RWMutex
	byID     map[uint64]*LiveGig
	cells    map[cell]map[uint64]*LiveGig
	syncedAt time.Time // updated_at high-water mark of the last sync
	loaded   bool
}

// LiveGig is what the list shows of a gig.
type LiveGig struct {
	ID           uint64
	Title        string
	CategoryID   uint64
	CategoryName string
	EmployerName string
	Rating       float64
	WageCents    int64
	WageUnit     string
	DailyCents   int64
	Settlement   string
	StartDate    string
	EndDate      string
	WorkHours    string
	Address      string
	Lat, Lng     float64
	AreaCode     string
	Headcount    int
	Confirmed    int
	PublishedAt  time.Time
}

// SpotsLeft is how many more workers it takes.
func (g *LiveGig) SpotsLeft() int { return max(0, g.Headcount-g.Confirmed) }

// cellDeg is the side of an index cell: 0.01° is about 1.1 km north–south, 0.95 km east–west in Anhui.
const cellDeg = 0.01

type cell struct{ lat, lng int32 }

func cellOf(lat, lng float64) cell {
	return cell{int32(math.Floor(lat / cellDeg)), int32(math.Floor(lng / cellDeg))}
}

// NewLiveGigs makes an empty index over the store.
func NewLiveGigs(s *Store) *LiveGigs {
	return &LiveGigs{store: s, byID: map[uint64]*LiveGig{}, cells: map[cell]map[uint64]*LiveGig{}}
}

// Loaded tells whether the first load finished; until then the instance is not ready.
func (l *LiveGigs) Loaded() bool {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.loaded
}

// Len is the number of gigs in the index.
func (l *LiveGigs) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.byID)
}

// liveRow is one gig joined with what the list shows of its employer and category.
type liveRow struct {
	Gig
	EmployerName string
	RatingSum    int
	RatingCount  int
	CategoryName string
}

func (s *Store) liveRows(ctx context.Context, scope func(*gorm.DB) *gorm.DB) ([]liveRow, error) {
	var rows []liveRow
	q := s.DB.WithContext(ctx).Table("gigs").
		Select("gigs.*, employers.display_name AS employer_name, employers.rating_sum, employers.rating_count, categories.name AS category_name").
		Joins("JOIN employers ON employers.id = gigs.employer_id").
		Joins("JOIN categories ON categories.id = gigs.category_id")
	return rows, dbErr(scope(q).Find(&rows).Error)
}

// syncOverlap re-reads changes this far behind the high-water mark: a transaction that committed late with
// an earlier updated_at is still seen.
const syncOverlap = 5 * time.Second

// Load replaces the index with every open gig.
func (l *LiveGigs) Load(ctx context.Context) error {
	started := l.store.Now()
	var rows []liveRow
	const batch = 5000
	var lastID uint64
	today := started.Format(dateLayout)
	for {
		page, err := l.store.liveRows(ctx, func(q *gorm.DB) *gorm.DB {
			return q.Where("gigs.status = ? AND gigs.end_date >= ? AND gigs.id > ?", GigPublished, today, lastID).
				Order("gigs.id").Limit(batch)
		})
		if err != nil {
			return err
		}
		rows = append(rows, page...)
		if len(page) < batch {
			break
		}
		lastID = page[len(page)-1].ID
	}
	byID := make(map[uint64]*LiveGig, len(rows))
	cells := map[cell]map[uint64]*LiveGig{}
	for i := range rows {
		g := rows[i].live()
		byID[g.ID] = g
		addToCell(cells, g)
	}
	l.mu.Lock()
	l.byID, l.cells, l.syncedAt, l.loaded = byID, cells, started, true
	l.mu.Unlock()
	return nil
}

// Sync applies what changed in the database since the last sync, including other instances' changes.
func (l *LiveGigs) Sync(ctx context.Context) error {
	l.mu.RLock()
	since := l.syncedAt.Add(-syncOverlap)
	l.mu.RUnlock()
	started := l.store.Now()
	rows, err := l.store.liveRows(ctx, func(q *gorm.DB) *gorm.DB { return q.Where("gigs.updated_at >= ?", since) })
	if err != nil {
		return err
	}
	l.apply(rows, started)
	return nil
}

// Refresh re-reads the given gigs now, for changes this instance just made.
func (l *LiveGigs) Refresh(ctx context.Context, ids ...uint64) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := l.store.liveRows(ctx, func(q *gorm.DB) *gorm.DB { return q.Where("gigs.id IN ?", ids) })
	if err != nil {
		return err
	}
	l.apply(rows, time.Time{})
	return nil
}

func (l *LiveGigs) apply(rows []liveRow, syncedAt time.Time) {
	today := l.store.Now().Format(dateLayout)
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := range rows {
		if old := l.byID[rows[i].ID]; old != nil {
			delete(l.byID, old.ID)
			if c := l.cells[cellOf(old.Lat, old.Lng)]; c != nil {
				delete(c, old.ID)
			}
		}
		if rows[i].Status == GigPublished && rows[i].EndDate >= today {
			g := rows[i].live()
			l.byID[g.ID] = g
			addToCell(l.cells, g)
		}
	}
	if syncedAt.After(l.syncedAt) {
		l.syncedAt = syncedAt
	}
}

func addToCell(cells map[cell]map[uint64]*LiveGig, g *LiveGig) {
	c := cellOf(g.Lat, g.Lng)
	if cells[c] == nil {
		cells[c] = map[uint64]*LiveGig{}
	}
	cells[c][g.ID] = g
}

func (r *liveRow) live() *LiveGig {
	g := &LiveGig{
		ID: r.ID, Title: r.Title, CategoryID: r.CategoryID, CategoryName: r.CategoryName, EmployerName: r.EmployerName,
		WageCents: r.WageCents, WageUnit: r.WageUnit, DailyCents: DailyCents(r.WageCents, r.WageUnit),
		Settlement: r.Settlement, StartDate: r.StartDate, EndDate: r.EndDate, WorkHours: r.WorkHours, Address: r.Address,
		Lat: r.Lat, Lng: r.Lng, AreaCode: r.AreaCode, Headcount: r.Headcount, Confirmed: r.Confirmed,
	}
	if r.RatingCount > 0 {
		g.Rating = float64(r.RatingSum) / float64(r.RatingCount)
	}
	if r.PublishedAt != nil {
		g.PublishedAt = *r.PublishedAt
	}
	return g
}

// Sort orders of the nearby list.
const (
	SortDistance = "distance"
	SortWage     = "wage"
	SortNewest   = "newest"
)

// GigQuery is a nearby search. Radius is in metres; Date, when set, is a day the gig must cover.
type GigQuery struct {
	Lat, Lng     float64
	Radius       float64
	CategoryID   uint64
	MinDailyCent int64
	DailyPay     bool
	Date         string
	Sort         string
	Cursor       string
	Limit        int
}

// NearbyGig is a search hit with its distance.
type NearbyGig struct {
	*LiveGig
	DistanceM int
}

// ErrBadCursor: the cursor was not made by this search.
var ErrBadCursor = errors.New("bad cursor")

// cursorKey is where the previous page ended: the sort value of its last hit and that hit's id.
type cursorKey struct {
	sort  string
	value int64
	id    uint64
}

func (k cursorKey) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s:%d:%d", k.sort, k.value, k.id)))
}

func decodeCursor(s, sort string) (*cursorKey, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != sort {
		return nil, ErrBadCursor
	}
	v, err1 := strconv.ParseInt(parts[1], 10, 64)
	id, err2 := strconv.ParseUint(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return nil, ErrBadCursor
	}
	return &cursorKey{sort: sort, value: v, id: id}, nil
}

// key is the sort value of a hit, arranged so that smaller comes first for every order.
func (q *GigQuery) key(h NearbyGig) int64 {
	switch q.Sort {
	case SortWage:
		return -h.DailyCents
	case SortNewest:
		return -h.PublishedAt.UnixMilli()
	}
	return int64(h.DistanceM)
}

// Search finds open gigs within the radius, filtered and ordered, one page after the cursor (keyset
// pagination: each page continues from the last key, so pages stay stable while gigs come and go).
func (l *LiveGigs) Search(q GigQuery) (hits []NearbyGig, next string, err error) {
	after, err := decodeCursor(q.Cursor, q.Sort)
	if err != nil {
		return nil, "", err
	}
	today := l.store.Now().Format(dateLayout)
	dLat := q.Radius / metresPerDegree
	dLng := q.Radius / (metresPerDegree * math.Cos(q.Lat*math.Pi/180))
	lo, hi := cellOf(q.Lat-dLat, q.Lng-dLng), cellOf(q.Lat+dLat, q.Lng+dLng)

	l.mu.RLock()
	for la := lo.lat; la <= hi.lat; la++ {
		for ln := lo.lng; ln <= hi.lng; ln++ {
			for _, g := range l.cells[cell{la, ln}] {
				if g.EndDate < today || (q.CategoryID != 0 && g.CategoryID != q.CategoryID) ||
					(q.DailyPay && g.Settlement != SettleDaily) || (q.MinDailyCent > 0 && g.DailyCents < q.MinDailyCent) ||
					(q.Date != "" && (g.StartDate > q.Date || g.EndDate < q.Date)) {
					continue
				}
				d := distanceM(q.Lat, q.Lng, g.Lat, g.Lng)
				if d > q.Radius {
					continue
				}
				h := NearbyGig{LiveGig: g, DistanceM: int(math.Round(d))}
				if after != nil {
					k := q.key(h)
					if k < after.value || (k == after.value && h.ID <= after.id) {
						continue
					}
				}
				hits = append(hits, h)
			}
		}
	}
	l.mu.RUnlock()

	slices.SortFunc(hits, func(a, b NearbyGig) int {
		if ka, kb := q.key(a), q.key(b); ka != kb {
			if ka < kb {
				return -1
			}
			return 1
		}
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	if len(hits) > q.Limit {
		hits = hits[:q.Limit]
		last := hits[len(hits)-1]
		next = cursorKey{sort: q.Sort, value: q.key(last), id: last.ID}.encode()
	}
	return hits, next, nil
}

const metresPerDegree = 111_320.0

// distanceM is the great-circle distance in metres (haversine); GCJ-02's offset moves both points alike.
func distanceM(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6_371_000.0
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := (lat2-lat1)*math.Pi/180, (lng2-lng1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
