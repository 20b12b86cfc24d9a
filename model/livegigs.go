package model

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// LiveGigs is each instance's in-memory index of the gigs open for applications, for the hottest path of
// the product: "what work is near me". It is loaded from the database at start, follows the change feed
// (every second, and at once for this instance's own changes), and is reloaded whole every few minutes so
// that nothing can drift. The database stays the only source of truth; the index only answers browsing,
// never decides a spot.
type LiveGigs struct {
	store *Store

	mu     sync.RWMutex
	byID   map[uint64]*LiveGig
	cells  map[cell][]slot // a slice per cell: scanning it is what every search does
	loaded bool
	// While a load reads, changes applied to the old maps would be lost when the new ones replace them:
	// the gigs they touched are noted and read again after the load.
	loading           int
	changedWhileLoads map[uint64]struct{}
	// Reads of gig rows are numbered in the order they begin; a read that began later saw the database at
	// least as new. Two reads of one gig can end in either order (a request's refresh and the feed's), so the
	// index keeps, per gig, the number of the read it shows, and an older read never overwrites a newer one.
	readSeq    atomic.Uint64
	appliedSeq map[uint64]uint64
	loadSeq    uint64 // reads that began before the last load are older than all it installed
	// encodeCard, when the API set one, encodes each gig's list card once per change rather than per request.
	encodeCard func(*LiveGig) []byte
	// recheck are gigs whose spot this instance counted in memory (SpotTaken): the next Follow reads them again,
	// since the feed may have shown the spot already, just before it was counted a second time.
	recheck map[uint64]struct{}
}

// GCPercent is the garbage collector's target (GOGC) for a process holding the index. The index is a large,
// long-lived heap (about 200 MB for 100,000 open gigs), and at Go's default the collector ran every 0.8 s of
// the dawn rush, its marking setting the p99; collecting at three times the live heap rather than twice, it
// runs half as often (make rush at 256 clients: p99 37–42 ms, against 43–54 ms). It costs that much memory
// more; GOGC set in the environment wins, and GOMEMLIMIT (deploy/k8s) keeps the heap under the pod's limit.
const GCPercent = 200

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
	// Card is what the API sends of the gig in a list, but the distance: made by the encoder the API set
	// (SetCardEncoder), nil without one.
	Card []byte
	// page is the whole row and its employer, so that the gig's page needs no read of them (UseLiveIndex).
	page *gigPage
}

// gigPage is what a gig's page shows of the gig and of who posted it.
type gigPage struct {
	gig          Gig
	employer     Employer
	categoryName string
}

// mentions tells whether the worker's search words appear in what the gig card shows.
func (g *LiveGig) mentions(keyword string) bool {
	for _, s := range []string{g.Title, g.CategoryName, g.EmployerName, g.Address} {
		if strings.Contains(s, keyword) {
			return true
		}
	}
	return false
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
	return &LiveGigs{store: s, byID: map[uint64]*LiveGig{}, cells: map[cell][]slot{}}
}

// SetCardEncoder has every gig's list card encoded as the gig enters the index, now and after each change.
func (l *LiveGigs) SetCardEncoder(encode func(*LiveGig) []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.encodeCard = encode
	for _, g := range l.byID {
		g.Card = encode(g)
	}
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
	EmployerName         string
	EmployerUserID       uint64
	EmployerDisplayName  string
	EmployerVerifiedName string
	RatingSum            int
	RatingCount          int
	CategoryName         string
}

func (s *Store) liveRows(ctx context.Context, scope func(*gorm.DB) *gorm.DB) ([]liveRow, error) {
	var rows []liveRow
	q := s.DB.WithContext(ctx).Table("gigs").
		Select("gigs.*, COALESCE(NULLIF(employers.verified_name, ''), employers.display_name) AS employer_name, employers.rating_sum, employers.rating_count, categories.name AS category_name, " +
			"employers.user_id AS employer_user_id, employers.display_name AS employer_display_name, employers.verified_name AS employer_verified_name").
		Joins("JOIN employers ON employers.id = gigs.employer_id").
		Joins("JOIN categories ON categories.id = gigs.category_id")
	return rows, dbErr(scope(q).Find(&rows).Error)
}

// Load replaces the index with every open gig.
func (l *LiveGigs) Load(ctx context.Context) error {
	l.mu.Lock()
	if l.loading++; l.changedWhileLoads == nil {
		l.changedWhileLoads = map[uint64]struct{}{}
	}
	l.mu.Unlock()
	installed := false
	defer func() {
		if !installed {
			l.mu.Lock()
			l.loading--
			l.mu.Unlock()
		}
	}()
	seq := l.readSeq.Add(1)
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
	cells := map[cell][]slot{}
	l.mu.RLock()
	encode := l.encodeCard
	l.mu.RUnlock()
	for i := range rows {
		g := rows[i].live()
		if encode != nil {
			g.Card = encode(g)
		}
		byID[g.ID] = g
		addToCell(cells, g)
	}
	l.mu.Lock()
	l.byID, l.cells, l.loaded = byID, cells, true
	if seq > l.loadSeq {
		l.loadSeq = seq
		for id, applied := range l.appliedSeq {
			if applied < seq {
				delete(l.appliedSeq, id)
			}
		}
	}
	l.loading--
	installed = true
	var again []uint64
	for id := range l.changedWhileLoads {
		again = append(again, id)
	}
	if l.loading == 0 {
		clear(l.changedWhileLoads)
	}
	l.mu.Unlock()
	return l.Refresh(ctx, again...)
}

// Follow applies what the change feed says changed, on this or another instance: the gigs named, and the
// current and coming gigs of the employers named (their cards show the employer's name and rating).
func (l *LiveGigs) Follow(ctx context.Context, ch Changes) error {
	l.mu.Lock()
	recheck := l.recheck
	l.recheck = nil
	l.mu.Unlock()
	if len(recheck) > 0 {
		for _, id := range ch.Gigs {
			delete(recheck, id)
		}
		ch.Gigs = slices.AppendSeq(slices.Clone(ch.Gigs), maps.Keys(recheck))
	}
	if len(ch.Gigs) == 0 && len(ch.Employers) == 0 {
		return nil
	}
	seq := l.readSeq.Add(1)
	today := l.store.Now().Format(dateLayout)
	rows, err := l.store.liveRows(ctx, func(q *gorm.DB) *gorm.DB {
		switch {
		case len(ch.Employers) == 0:
			return q.Where("gigs.id IN ?", ch.Gigs)
		case len(ch.Gigs) == 0:
			return q.Where("gigs.employer_id IN ? AND gigs.end_date >= ?", ch.Employers, today)
		}
		return q.Where("gigs.id IN ? OR (gigs.employer_id IN ? AND gigs.end_date >= ?)", ch.Gigs, ch.Employers, today)
	})
	if err != nil {
		l.mu.Lock()
		for id := range recheck {
			if l.recheck == nil {
				l.recheck = map[uint64]struct{}{}
			}
			l.recheck[id] = struct{}{} // read at the next Follow instead
		}
		l.mu.Unlock()
		return err
	}
	// A gig named but not read (gone from the table) leaves the index too.
	missing := map[uint64]bool{}
	for _, id := range ch.Gigs {
		missing[id] = true
	}
	for i := range rows {
		delete(missing, rows[i].ID)
	}
	for id := range missing {
		rows = append(rows, liveRow{Gig: Gig{ID: id}})
	}
	l.apply(rows, seq)
	return nil
}

// Refresh re-reads the given gigs now, for changes this instance just made.
func (l *LiveGigs) Refresh(ctx context.Context, ids ...uint64) error {
	if len(ids) == 0 {
		return nil
	}
	return l.Follow(ctx, Changes{Gigs: ids})
}

// SpotTaken shows at once a spot this instance just took on a gig, without reading the gig again: the spot's
// own UPDATE noted the change, so the feed brings the database's count within a second on every instance.
// The count shown here may already hold the spot (the feed read the gig between the commit and this call),
// so the gig is also read again at the next Follow: a count off by one lasts a second at most.
func (l *LiveGigs) SpotTaken(id uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.recheck == nil {
		l.recheck = map[uint64]struct{}{}
	}
	l.recheck[id] = struct{}{}
	if l.loading > 0 {
		l.changedWhileLoads[id] = struct{}{} // the maps a load installs may have read the gig before the spot
	}
	old := l.byID[id]
	if old == nil {
		return
	}
	delete(l.byID, id)
	removeFromCell(l.cells, old)
	if old.Confirmed+1 >= old.Headcount {
		return // filled: out of the list, as the UPDATE set it
	}
	// A new copy: searches and pages in flight hold the old one.
	g, page := *old, *old.page
	g.Confirmed++
	page.gig.Confirmed++
	g.page = &page
	if l.encodeCard != nil {
		g.Card = l.encodeCard(&g)
	}
	l.byID[id] = &g
	addToCell(l.cells, &g)
}

func (l *LiveGigs) apply(rows []liveRow, seq uint64) {
	today := l.store.Now().Format(dateLayout)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.appliedSeq == nil {
		l.appliedSeq = map[uint64]uint64{}
	}
	for i := range rows {
		if seq < l.loadSeq || l.appliedSeq[rows[i].ID] > seq {
			continue // a newer read of this gig is already shown
		}
		l.appliedSeq[rows[i].ID] = seq
		if l.loading > 0 {
			l.changedWhileLoads[rows[i].ID] = struct{}{}
		}
		if old := l.byID[rows[i].ID]; old != nil {
			delete(l.byID, old.ID)
			removeFromCell(l.cells, old)
		}
		if rows[i].Status == GigPublished && rows[i].EndDate >= today {
			g := rows[i].live()
			if l.encodeCard != nil {
				g.Card = l.encodeCard(g)
			}
			l.byID[g.ID] = g
			addToCell(l.cells, g)
		}
	}
}

// slot is a gig as a cell holds it: what the filters read, packed together so that a scan stays in the
// CPU cache, and a pointer to the rest.
type slot struct {
	lat, lng   float64
	startDay   int32 // days since 1970-01-01
	endDay     int32
	category   uint64
	dailyCents int64
	dailyPay   bool
	gig        *LiveGig
}

// dayNumber turns "2006-01-02" into days since 1970-01-01, so that date filters compare integers.
func dayNumber(date string) int32 {
	t, err := time.Parse(dateLayout, date)
	if err != nil {
		return 0
	}
	return int32(t.Unix() / 86400)
}

func addToCell(cells map[cell][]slot, g *LiveGig) {
	c := cellOf(g.Lat, g.Lng)
	cells[c] = append(cells[c], slot{lat: g.Lat, lng: g.Lng, startDay: dayNumber(g.StartDate), endDay: dayNumber(g.EndDate),
		category: g.CategoryID, dailyCents: g.DailyCents, dailyPay: g.Settlement == SettleDaily, gig: g})
}

func removeFromCell(cells map[cell][]slot, g *LiveGig) {
	c := cellOf(g.Lat, g.Lng)
	bucket := cells[c]
	for i := range bucket {
		if bucket[i].gig.ID == g.ID {
			bucket[i] = bucket[len(bucket)-1]
			bucket[len(bucket)-1] = slot{}
			bucket = bucket[:len(bucket)-1]
			break
		}
	}
	if len(bucket) == 0 {
		delete(cells, c)
	} else {
		cells[c] = bucket
	}
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
	g.page = &gigPage{gig: r.Gig, categoryName: r.CategoryName, employer: Employer{ID: r.EmployerID, UserID: r.EmployerUserID,
		DisplayName: r.EmployerDisplayName, VerifiedName: r.EmployerVerifiedName, RatingSum: r.RatingSum, RatingCount: r.RatingCount}}
	return g
}

// detached is a copy of the gig sharing no slice or pointer with it: the index's copy serves every request,
// and one answer changing its copy must not change the next.
func (g Gig) detached() Gig {
	g.Checks.Discrimination = slices.Clone(g.Checks.Discrimination)
	if g.Checks.BelowGuide != nil {
		note := *g.Checks.BelowGuide
		g.Checks.BelowGuide = &note
	}
	for _, p := range []**time.Time{&g.ReviewedAt, &g.PublishedAt} {
		if *p != nil {
			t := **p
			*p = &t
		}
	}
	if g.ReviewedBy != nil {
		by := *g.ReviewedBy
		g.ReviewedBy = &by
	}
	return g
}

// publishedPage is the page of a gig the index holds, as of its last read; nil for one past its last day,
// which the index keeps until its next load but whose status the nightly expiry changes without a note.
func (l *LiveGigs) publishedPage(id uint64) *gigPage {
	today := l.store.Now().Format(dateLayout)
	l.mu.RLock()
	defer l.mu.RUnlock()
	if g := l.byID[id]; g != nil && g.EndDate >= today {
		return g.page
	}
	return nil
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
	Keyword      string // words the worker typed: found in the title, trade, employer or address
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
func (q *GigQuery) key(g *LiveGig, distanceM int) int64 {
	switch q.Sort {
	case SortWage:
		return -g.DailyCents
	case SortNewest:
		return -g.PublishedAt.UnixMilli()
	}
	return int64(distanceM)
}

// Search finds open gigs within the radius, filtered and ordered, one page after the cursor (keyset
// pagination: each page continues from the last key, so pages stay stable while gigs come and go).
//
// It scans only the cells the radius touches, measures distance on the local plane (exact enough within
// 50 km, and free of trigonometry per gig), and keeps the best limit+1 hits in a bounded heap rather than
// sorting everything in range: dense city centres hold thousands of gigs within 3 km.
func (l *LiveGigs) Search(q GigQuery) (hits []NearbyGig, next string, err error) {
	after, err := decodeCursor(q.Cursor, q.Sort)
	if err != nil {
		return nil, "", err
	}
	today := dayNumber(l.store.Now().Format(dateLayout))
	var onDay int32
	if q.Date != "" {
		onDay = dayNumber(q.Date)
	}
	mPerLng := metresPerDegree * math.Cos(q.Lat*math.Pi/180)
	dLat, dLng := q.Radius/metresPerDegree, q.Radius/mPerLng
	lo, hi := cellOf(q.Lat-dLat, q.Lng-dLng), cellOf(q.Lat+dLat, q.Lng+dLng)
	r2 := q.Radius * q.Radius
	best := topK{k: q.Limit + 1}

	scan := func(c cell) {
		bucket := l.cells[c]
		for i := range bucket {
			sl := &bucket[i]
			dy, dx := (sl.lat-q.Lat)*metresPerDegree, (sl.lng-q.Lng)*mPerLng
			d2 := dx*dx + dy*dy
			if d2 > r2 || sl.endDay < today || (q.CategoryID != 0 && sl.category != q.CategoryID) ||
				(q.DailyPay && !sl.dailyPay) || (q.MinDailyCent > 0 && sl.dailyCents < q.MinDailyCent) ||
				(onDay != 0 && (sl.startDay > onDay || sl.endDay < onDay)) || (q.Keyword != "" && !sl.gig.mentions(q.Keyword)) {
				continue
			}
			d := int(math.Round(math.Sqrt(d2)))
			k := q.key(sl.gig, d)
			if after != nil && (k < after.value || (k == after.value && sl.gig.ID <= after.id)) {
				continue
			}
			best.push(ranked{key: k, hit: NearbyGig{LiveGig: sl.gig, DistanceM: d}})
		}
	}

	l.mu.RLock()
	if q.Sort == SortDistance {
		// Nearest first: rings of cells around the worker's own, stopping once no cell further out can hold a
		// gig nearer than the worst one kept. In a dense centre the first ring or two fill the page.
		centre := cellOf(q.Lat, q.Lng)
		minSide := cellDeg * min(metresPerDegree, mPerLng)
		for ring := int32(0); ; ring++ {
			if ring > 0 && best.full() && float64(best.worst()) < float64(ring-1)*minSide-1 {
				break
			}
			if centre.lat-ring < lo.lat && centre.lat+ring > hi.lat && centre.lng-ring < lo.lng && centre.lng+ring > hi.lng {
				break // the ring lies wholly outside the radius's box
			}
			for la := centre.lat - ring; la <= centre.lat+ring; la++ {
				if la < lo.lat || la > hi.lat {
					continue
				}
				edge := la == centre.lat-ring || la == centre.lat+ring
				for ln := centre.lng - ring; ln <= centre.lng+ring; ln++ {
					if !edge && ln != centre.lng-ring && ln != centre.lng+ring {
						ln = centre.lng + ring - 1 // only the ring's two sides in the rows between
						continue
					}
					if ln >= lo.lng && ln <= hi.lng {
						scan(cell{la, ln})
					}
				}
			}
		}
	} else {
		for la := lo.lat; la <= hi.lat; la++ {
			for ln := lo.lng; ln <= hi.lng; ln++ {
				scan(cell{la, ln})
			}
		}
	}
	l.mu.RUnlock()

	ranked := best.sorted()
	hits = make([]NearbyGig, 0, min(len(ranked), q.Limit))
	for i, r := range ranked {
		if i == q.Limit {
			last := ranked[i-1]
			next = cursorKey{sort: q.Sort, value: last.key, id: last.hit.ID}.encode()
			break
		}
		hits = append(hits, r.hit)
	}
	return hits, next, nil
}

// ranked is a hit with its sort key.
type ranked struct {
	key int64
	hit NearbyGig
}

func (a *ranked) less(b *ranked) bool {
	return a.key < b.key || (a.key == b.key && a.hit.ID < b.hit.ID)
}

// topK keeps the k smallest hits seen: a max-heap whose root is the worst of the kept.
type topK struct {
	k    int
	heap []ranked
}

func (t *topK) push(r ranked) {
	h := t.heap
	if len(h) < t.k {
		h = append(h, r)
		for i := len(h) - 1; i > 0; {
			parent := (i - 1) / 2
			if !h[parent].less(&h[i]) {
				break
			}
			h[parent], h[i] = h[i], h[parent]
			i = parent
		}
		t.heap = h
		return
	}
	if !r.less(&h[0]) {
		return
	}
	h[0] = r
	for i := 0; ; {
		largest, l, rt := i, 2*i+1, 2*i+2
		if l < len(h) && h[largest].less(&h[l]) {
			largest = l
		}
		if rt < len(h) && h[largest].less(&h[rt]) {
			largest = rt
		}
		if largest == i {
			return
		}
		h[i], h[largest] = h[largest], h[i]
		i = largest
	}
}

func (t *topK) full() bool { return len(t.heap) == t.k }

// worst is the largest key kept; only meaningful when full.
func (t *topK) worst() int64 { return t.heap[0].key }

func (t *topK) sorted() []ranked {
	slices.SortFunc(t.heap, func(a, b ranked) int {
		if a.less(&b) {
			return -1
		}
		return 1
	})
	return t.heap
}

const metresPerDegree = 111_320.0
