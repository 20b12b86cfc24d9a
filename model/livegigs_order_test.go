package model

import (
	"testing"
	"time"
)

// Two reads of one gig can end in either order (a request's refresh and the change feed's): the older
// read's state never replaces the newer one's, nor does a read that began before a full load.
func TestAnOlderReadNeverOverwritesANewerOne(t *testing.T) {
	store := &Store{Now: func() time.Time { return time.Now().In(Shanghai) }}
	l := NewLiveGigs(store)
	tomorrow := store.Now().AddDate(0, 0, 1).Format(dateLayout)
	row := func(status string) []liveRow {
		return []liveRow{{Gig: Gig{ID: 7, Status: status, StartDate: tomorrow, EndDate: tomorrow, Lat: 31.8, Lng: 117.2,
			Headcount: 1, WageUnit: WageDay}}}
	}
	open := l.readSeq.Add(1)   // began first: saw the gig open
	filled := l.readSeq.Add(1) // began later: saw it filled
	l.apply(row(GigFilled), filled)
	l.apply(row(GigPublished), open)
	if l.Len() != 0 {
		t.Fatal("an older read put a filled gig back on the list")
	}

	beforeLoad := l.readSeq.Add(1)
	l.loadSeq = l.readSeq.Add(1) // a load began after that read and installed its own, newer state
	l.apply(row(GigPublished), beforeLoad)
	if l.Len() != 0 {
		t.Fatal("a read older than the last load changed the index")
	}
	l.apply(row(GigPublished), l.readSeq.Add(1))
	if l.Len() != 1 {
		t.Fatal("a newer read is not shown")
	}
}
