package model

import (
	"context"
	"math"
	"slices"
	"sync"
)

// AlertIndex is each instance's in-memory index of the alerts switched on, by trade and grid cell (the gig
// index's 0.01° cells), so that an approved gig's workers are found by looking at the cells within the widest
// radius around it — a few thousand map look-ups — instead of reading every worker. Like LiveGigs it is loaded
// at start, follows the change feed every second and is reloaded whole every few minutes; it only finds
// candidates, the delivery checks each one against the database again before telling anyone.
type AlertIndex struct {
	store *Store

	mu        sync.RWMutex
	subs      map[uint64]*AlertSubscription
	cells     map[alertKey][]*AlertSubscription
	maxRadius int
	loaded    bool
	// gen counts installed loads: a feed read that began before a load finished is read again, so that an
	// older read never replaces what the load installed. While a load reads, the workers the feed names are
	// noted and read again after it.
	gen               uint64
	loading           int
	changedWhileLoads map[uint64]struct{}
}

// alertKey files a subscription under each of its trades (0: every trade) and the cell of its place.
type alertKey struct {
	category uint64
	cell     cell
}

// NewAlertIndex makes an empty index over the store.
func NewAlertIndex(s *Store) *AlertIndex {
	return &AlertIndex{store: s, subs: map[uint64]*AlertSubscription{}, cells: map[alertKey][]*AlertSubscription{}}
}

// Loaded tells whether the first load finished.
func (x *AlertIndex) Loaded() bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.loaded
}

// Len is the number of alerts switched on in the index.
func (x *AlertIndex) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.subs)
}

// Load replaces the index with every alert switched on.
func (x *AlertIndex) Load(ctx context.Context) error {
	x.mu.Lock()
	if x.loading++; x.changedWhileLoads == nil {
		x.changedWhileLoads = map[uint64]struct{}{}
	}
	x.mu.Unlock()
	installed := false
	defer func() {
		if !installed {
			x.mu.Lock()
			x.loading--
			x.mu.Unlock()
		}
	}()
	subs := map[uint64]*AlertSubscription{}
	cells := map[alertKey][]*AlertSubscription{}
	maxRadius := 0
	var last uint64
	for {
		var page []AlertSubscription
		if err := x.store.DB.WithContext(ctx).Where("enabled = ? AND user_id > ?", true, last).
			Order("user_id").Limit(5000).Find(&page).Error; err != nil {
			return dbErr(err)
		}
		for i := range page {
			sub := &page[i]
			subs[sub.UserID] = sub
			for _, k := range alertKeys(sub) {
				cells[k] = append(cells[k], sub)
			}
			maxRadius = max(maxRadius, sub.RadiusM)
		}
		if len(page) < 5000 {
			break
		}
		last = page[len(page)-1].UserID
	}
	x.mu.Lock()
	x.subs, x.cells, x.maxRadius, x.loaded = subs, cells, maxRadius, true
	x.gen++
	x.loading--
	installed = true
	var again []uint64
	for id := range x.changedWhileLoads {
		again = append(again, id)
	}
	if x.loading == 0 {
		clear(x.changedWhileLoads)
	}
	x.mu.Unlock()
	return x.refresh(ctx, again)
}

// Follow applies the alert settings the change feed says changed, on this or another instance.
func (x *AlertIndex) Follow(ctx context.Context, ch Changes) error {
	return x.refresh(ctx, ch.Alerts)
}

func (x *AlertIndex) refresh(ctx context.Context, userIDs []uint64) error {
	if len(userIDs) == 0 {
		return nil
	}
	for {
		x.mu.RLock()
		gen := x.gen
		x.mu.RUnlock()
		var rows []AlertSubscription
		if err := x.store.DB.WithContext(ctx).Where("user_id IN ?", userIDs).Find(&rows).Error; err != nil {
			return dbErr(err)
		}
		x.mu.Lock()
		if x.loading > 0 {
			for _, id := range userIDs {
				x.changedWhileLoads[id] = struct{}{}
			}
			x.mu.Unlock()
			return nil
		}
		if gen != x.gen {
			x.mu.Unlock()
			continue // a load installed meanwhile: this read may be older than it
		}
		for _, id := range userIDs {
			x.remove(id)
		}
		for i := range rows {
			if rows[i].Enabled {
				x.add(&rows[i])
			}
		}
		x.mu.Unlock()
		return nil
	}
}

func (x *AlertIndex) add(sub *AlertSubscription) {
	x.subs[sub.UserID] = sub
	for _, k := range alertKeys(sub) {
		x.cells[k] = append(x.cells[k], sub)
	}
	// The widest radius only grows until the next load: a narrower search would miss someone.
	x.maxRadius = max(x.maxRadius, sub.RadiusM)
}

func (x *AlertIndex) remove(userID uint64) {
	old, ok := x.subs[userID]
	if !ok {
		return
	}
	delete(x.subs, userID)
	for _, k := range alertKeys(old) {
		list := x.cells[k]
		if i := slices.Index(list, old); i >= 0 {
			list[i] = list[len(list)-1]
			list = list[:len(list)-1]
		}
		if len(list) == 0 {
			delete(x.cells, k)
		} else {
			x.cells[k] = list
		}
	}
}

func alertKeys(sub *AlertSubscription) []alertKey {
	c := cellOf(sub.Lat, sub.Lng)
	if len(sub.CategoryIDs) == 0 {
		return []alertKey{{0, c}}
	}
	keys := make([]alertKey, len(sub.CategoryIDs))
	for i, cat := range sub.CategoryIDs {
		keys[i] = alertKey{cat, c}
	}
	return keys
}

// Match lists the workers whose alerts the gig suits, in id order.
func (x *AlertIndex) Match(g *Gig) []uint64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(x.subs) == 0 {
		return nil
	}
	// Every cell a subscription within the widest radius can be filed under; one cell more each way for the
	// part of a cell beyond the radius' edge.
	r := float64(x.maxRadius)
	dLat := r / metresPerDegree
	dLng := r / (metresPerDegree * math.Cos(g.Lat*math.Pi/180))
	lo, hi := cellOf(g.Lat-dLat, g.Lng-dLng), cellOf(g.Lat+dLat, g.Lng+dLng)
	var out []uint64
	for _, cat := range []uint64{g.CategoryID, 0} {
		for la := lo.lat; la <= hi.lat; la++ {
			for ln := lo.lng; ln <= hi.lng; ln++ {
				for _, sub := range x.cells[alertKey{cat, cell{la, ln}}] {
					if sub.Matches(g) {
						out = append(out, sub.UserID)
					}
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Matches tells whether the gig is what the subscription asks for: the trade, within the radius, paid daily
// when asked, starting no earlier than asked.
func (sub *AlertSubscription) Matches(g *Gig) bool {
	if !sub.Enabled {
		return false
	}
	if len(sub.CategoryIDs) > 0 && !slices.Contains(sub.CategoryIDs, g.CategoryID) {
		return false
	}
	if sub.DailyPay && g.Settlement != SettleDaily {
		return false
	}
	if sub.EarliestAt != "" {
		if start := alertStartMinute(g.WorkHours); start >= 0 && start < alertStartMinute(sub.EarliestAt) {
			return false
		}
	}
	return distanceM(sub.Lat, sub.Lng, g.Lat, g.Lng) <= float64(sub.RadiusM)
}

// ScanAlerts matches a gig against every alert in the database, one by one: what the index must agree with
// (tests compare the two on random data), and never used to send.
func (s *Store) ScanAlerts(ctx context.Context, g *Gig) ([]uint64, error) {
	var out []uint64
	var last uint64
	for {
		var page []AlertSubscription
		if err := s.DB.WithContext(ctx).Where("user_id > ?", last).Order("user_id").Limit(5000).Find(&page).Error; err != nil {
			return nil, dbErr(err)
		}
		for i := range page {
			if page[i].Matches(g) {
				out = append(out, page[i].UserID)
			}
		}
		if len(page) < 5000 {
			return out, nil
		}
		last = page[len(page)-1].UserID
	}
}
