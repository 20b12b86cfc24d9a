package model

import (
	"math"
	"regexp"
	"sort"
)

// timeOfDay is a clock time like 09:30.
var timeOfDay = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// distanceM is the distance in metres between two nearby points, on the local plane (exact enough within
// a city; GCJ-02's offset moves both points alike).
func distanceM(lat1, lng1, lat2, lng2 float64) float64 {
	dy := (lat2 - lat1) * metresPerDegree
	dx := (lng2 - lng1) * metresPerDegree * math.Cos(lat1*math.Pi/180)
	return math.Sqrt(dx*dx + dy*dy)
}

// sortByDistance orders items nearest to p first.
func sortByDistance[T any](items []T, p *Place, at func(T) (float64, float64)) {
	sort.SliceStable(items, func(i, j int) bool {
		li, gi := at(items[i])
		lj, gj := at(items[j])
		return distanceM(p.Lat, p.Lng, li, gi) < distanceM(p.Lat, p.Lng, lj, gj)
	})
}

// DistanceM is the distance between two nearby points in whole metres.
func DistanceM(lat1, lng1, lat2, lng2 float64) int {
	return int(math.Round(distanceM(lat1, lng1, lat2, lng2)))
}
