package handler

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// A page written from pre-encoded cards reads exactly as the cards encoded whole would: every field, the
// asker's distance, text that needs escaping, and a gig whose card the index did not encode.
func TestGigListFromEncodedCards(t *testing.T) {
	gigs := []*model.LiveGig{
		{ID: 7, Title: `搬家"急"<script>`, CategoryName: "搬运", EmployerName: "王\\师傅", Rating: 4.26, WageCents: 200_00,
			WageUnit: model.WageDay, Settlement: model.SettleDaily, StartDate: "2026-12-01", EndDate: "2026-12-02",
			WorkHours: "08:00-17:00", Address: "蜀山区 & 高新区", Lat: 31.8, Lng: 117.2, Headcount: 3, Confirmed: 1,
			PublishedAt: time.Now()},
		{ID: 9, Title: "理货😀", CategoryName: "超市", EmployerName: "李", WageCents: 25_00, WageUnit: model.WageHour,
			Settlement: model.SettleCompletion, StartDate: "2026-12-03", EndDate: "2026-12-03", Lat: 31.9, Lng: 117.3, Headcount: 1},
	}
	gigs[0].Card = encodeGigCard(gigs[0]) // the second has none, as before an encoder is set
	hits := []model.NearbyGig{{LiveGig: gigs[0], DistanceM: 1234}, {LiveGig: gigs[1], DistanceM: 0}}

	gin.SetMode(gin.ReleaseMode)
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	writeGigList(c, hits, "bmV4dA")
	var got gigListResponse
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, w.Body.String())
	}
	want := gigListResponse{Items: []gigCard{cardOf(gigs[0], 1234), cardOf(gigs[1], 0)}, NextCursor: "bmV4dA"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	var loose map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &loose)
	if n := len(loose["items"].([]any)[0].(map[string]any)); n != reflect.TypeOf(gigCard{}).NumField() {
		t.Fatalf("a card has %d fields, gigCard %d", n, reflect.TypeOf(gigCard{}).NumField())
	}
}
