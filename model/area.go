package model

import "strings"

// AreaLevel is how high a division sits.
type AreaLevel string

const (
	AreaProvince AreaLevel = "province"
	AreaCity     AreaLevel = "city"
	AreaCounty   AreaLevel = "county"
)

// Area is an administrative division (GB/T 2260). Gigs, employers and staff scopes name one by its
// 6-digit code, as WeChat's region picker returns it.
type Area struct {
	Code   string    `json:"code"`
	Name   string    `json:"name"`
	Level  AreaLevel `json:"level"`
	Parent string    `json:"parent,omitempty"`
}

var areaByCode = func() map[string]Area {
	m := make(map[string]Area, len(areaData))
	for _, a := range areaData {
		m[a.Code] = a
	}
	return m
}()

// Areas lists the divisions lingong serves: the province, its cities, their counties.
func Areas() []Area { return areaData }

// LookupArea finds a division by its 6-digit code.
func LookupArea(code string) (Area, bool) {
	a, ok := areaByCode[code]
	return a, ok
}

// AreaPrefix is the part of the code shared by everything inside the area: "34" for the province, "3404"
// for 淮南市, the whole code for a county. Scopes and statistics match codes by this prefix.
func (a Area) AreaPrefix() string {
	switch a.Level {
	case AreaProvince:
		return a.Code[:2]
	case AreaCity:
		return a.Code[:4]
	}
	return a.Code
}

// Contains tells whether the division code lies inside a.
func (a Area) Contains(code string) bool { return strings.HasPrefix(code, a.AreaPrefix()) }

// FullName is "合肥市蜀山区" for a county, "合肥市" for a city.
func (a Area) FullName() string {
	if a.Level == AreaCounty {
		if p, ok := areaByCode[a.Parent]; ok {
			return p.Name + a.Name
		}
	}
	return a.Name
}
