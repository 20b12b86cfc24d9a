package handler

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// cardOf is a gig's list card; the distance is the asker's.
func cardOf(g *model.LiveGig, distanceM int) gigCard {
	return gigCard{ID: g.ID, Title: g.Title, Category: g.CategoryName, EmployerName: g.EmployerName,
		EmployerRating: math.Round(g.Rating*10) / 10, WageCents: g.WageCents, WageUnit: g.WageUnit,
		Settlement: g.Settlement, StartDate: g.StartDate, EndDate: g.EndDate, WorkHours: g.WorkHours,
		Address: g.Address, Lat: g.Lat, Lng: g.Lng, DistanceM: distanceM, SpotsLeft: g.SpotsLeft()}
}

// distanceLast is how every encoded card ends: distance_m is gigCard's last field, so a card encoded once
// with no distance takes anyone's by cutting the 0 off.
var distanceLast = []byte(`"distance_m":0}`)

// encodeGigCard encodes a gig's card once, when the gig enters the live index, up to the distance's value.
func encodeGigCard(g *model.LiveGig) []byte {
	b, err := json.Marshal(cardOf(g, 0))
	if err != nil || !bytes.HasSuffix(b, distanceLast) {
		return nil // listGigs encodes such a card itself
	}
	return b[:len(b)-2]
}

var listBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// writeGigList sends a page of the nearby list from the cards the index holds encoded: browsing is the
// hottest path, and encoding twenty cards per request was most of its cost.
func writeGigList(c *gin.Context, hits []model.NearbyGig, next string) {
	bp := listBuffers.Get().(*[]byte)
	buf := append((*bp)[:0], `{"items":[`...)
	for i, h := range hits {
		if i > 0 {
			buf = append(buf, ',')
		}
		card := h.Card
		if card == nil {
			card = encodeGigCard(h.LiveGig)
		}
		if card == nil {
			whole, err := json.Marshal(cardOf(h.LiveGig, h.DistanceM))
			if err != nil {
				listBuffers.Put(bp)
				fail(c, err)
				return
			}
			buf = append(buf, whole...)
			continue
		}
		buf = append(buf, card...)
		buf = strconv.AppendInt(buf, int64(h.DistanceM), 10)
		buf = append(buf, '}')
	}
	cursor, _ := json.Marshal(next)
	buf = append(buf, `],"next_cursor":`...)
	buf = append(buf, cursor...)
	buf = append(buf, '}')
	c.Data(http.StatusOK, "application/json; charset=utf-8", buf)
	*bp = buf
	listBuffers.Put(bp)
}
